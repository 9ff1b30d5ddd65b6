package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.mcp.ToolOutputValidator;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A definition's {@code inputSchema} through the API: read back with the definition, refused at
 * publish when it is no JSON Schema of an object, and a start whose input breaks it answered 422
 * {@code invalid-process-input} with pointers into {@code /input}, writing nothing; the same
 * refusal as a JSON-RPC error over A2A and a tool error over MCP.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ProcessInputSchemaTest {
  private static final String ANNOUNCE =
      """
      {"id":"announce","a2a":{"description":"Announces.","skills":[
         {"id":"announce","name":"Announce","description":"Writes an announcement."}]},
       "inputSchema":{"type":"object","required":["topic"],
         "properties":{"topic":{"type":"string","minLength":1,"title":"Topic",
                                "description":"What to announce"}}},
       "activities":[{"id":"a","orchestrator":"noop"}]}""";

  private Database db;
  private ExecutionApi api;
  private ApiClient admin;
  private McpSyncClient mcp;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    admin = ApiClient.admin(db, api.port());
    assertThat(admin.postJson("/api/v1/definitions", ANNOUNCE).statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (mcp != null) mcp.closeGracefully();
    api.close();
  }

  @Test
  void theDefinitionIsReadBackWithItsInputSchema() {
    JsonNode definition = json(admin.get("/api/v1/definitions/announce"));
    assertThat(definition.at("/inputSchema/properties/topic/title").asText()).isEqualTo("Topic");
    assertThat(
            json(admin.postJson(
                    "/api/v1/definitions",
                    "{\"id\":\"plain\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"))
                .path("version")
                .asInt())
        .isEqualTo(1);
    assertThat(json(admin.get("/api/v1/definitions/plain")).has("inputSchema")).isFalse();
  }

  @Test
  void aSchemaThatIsNoJsonSchemaOfAnObjectIs422AtPublish() {
    RowCounts before = RowCounts.of(db);
    JsonNode problem =
        assertProblem(
            admin.postJson(
                "/api/v1/definitions",
                "{\"id\":\"bad\",\"inputSchema\":{\"type\":\"array\",\"minItems\":-1},"
                    + "\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"),
            422,
            "invalid-definition");

    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/inputSchema/minItems", "/inputSchema/type");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aStartWhoseInputBreaksTheSchemaIs422PointingIntoTheInputAndWritesNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode missing =
        assertProblem(
            admin.postJson("/api/v1/processes", "{\"definitionId\":\"announce\"}"),
            422,
            "invalid-process-input");
    assertThat(missing.path("errors").findValuesAsText("pointer")).containsExactly("/input");
    assertThat(missing.path("errors").get(0).path("detail").asText()).contains("topic");
    JsonNode wrong =
        assertProblem(
            admin.postJson(
                "/api/v1/processes",
                "{\"definitionId\":\"announce\",\"input\":{\"topic\":\"\"}}",
                "Idempotency-Key",
                "k-1"),
            422,
            "invalid-process-input");
    assertThat(wrong.path("detail").asText()).contains("1 problem");
    assertThat(wrong.path("errors").findValuesAsText("pointer")).containsExactly("/input/topic");
    assertThat(RowCounts.of(db)).isEqualTo(before);

    assertThat(
            admin
                .postJson(
                    "/api/v1/processes",
                    "{\"definitionId\":\"announce\",\"input\":{\"topic\":\"hours\"}}",
                    "Idempotency-Key",
                    "k-1")
                .statusCode())
        .as("the refused key was not taken")
        .isEqualTo(201);
  }

  @Test
  void overA2aAndMcpTheRefusalNamesTheFieldAndWritesNothing() {
    RowCounts before = RowCounts.of(db);
    JsonNode rpc =
        json(
            admin.postJson(
                "/a2a/default/announce",
                """
                {"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{
                  "kind":"message","role":"user","messageId":"m-1",
                  "parts":[{"kind":"data","data":{"topic":7}}]}}}"""));
    assertThat(rpc.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(rpc.at("/error/message").asText()).contains("/input/topic");

    McpSchema.CallToolResult tool =
        mcp(ApiClient.issueKey(db, "default", Role.USER, "ada"))
            .callTool(
                new McpSchema.CallToolRequest(
                    "start_process",
                    Map.of("definitionId", "announce", "input", Map.of("topic", ""))));
    assertThat(tool.isError()).isTrue();
    assertThat(((McpSchema.TextContent) tool.content().get(0)).text())
        .contains("inputSchema")
        .contains("/input/topic");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  private McpSyncClient mcp(String key) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + api.port())
            .endpoint(McpEndpoint.PATH)
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
            .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER))
            .build();
    mcp =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(20))
            .jsonSchemaValidator(new ToolOutputValidator())
            .build();
    mcp.initialize();
    return mcp;
  }
}
