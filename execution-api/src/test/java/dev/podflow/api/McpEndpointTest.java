package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Podflow as an MCP server at {@code /mcp}, driven by real MCP clients: the official Java SDK's
 * streamable HTTP client and {@code @modelcontextprotocol/inspector-cli} from the npm registry. A
 * client lists the tools, starts a process, reads it and its events, and answers the task waiting
 * for its user, each as the caller its credential names.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class McpEndpointTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String REVIEW =
      """
      {"id":"review","activities":[
        {"id":"check","orchestrator":"human","config":{"assignee":"ada",
          "form":{"type":"object","required":["approved"],
                  "properties":{"approved":{"type":"boolean"}}}}},
        {"id":"finish","orchestrator":"noop"}]}""";

  private Database db;
  private ExecutionApi api;
  private Engine engine;
  private final List<McpSyncClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    engine =
        new Engine(
            db.jdbi(),
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.jdbi()));
    assertThat(ApiClient.admin(db, api.port()).postJson("/api/v1/definitions", REVIEW).statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    clients.forEach(McpSyncClient::closeGracefully);
    api.close();
  }

  private McpSyncClient client(String key) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + api.port())
            .endpoint(McpEndpoint.PATH)
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
            .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER))
            .build();
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(20))
            .jsonSchemaValidator(new dev.podflow.mcp.ToolOutputValidator())
            .build();
    clients.add(client);
    client.initialize();
    return client;
  }

  private static JsonNode structured(McpSchema.CallToolResult result) {
    assertThat(result.isError()).as("%s", result.content()).isNotEqualTo(Boolean.TRUE);
    return Json.MAPPER.valueToTree(result.structuredContent());
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @Test
  void aJavaClientStartsAProcessFollowsItAndAnswersItsTask() {
    McpSyncClient ada = client(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    assertThat(ada.getServerInfo().name()).isEqualTo("podflow");
    assertThat(ada.listTools().tools())
        .extracting(McpSchema.Tool::name)
        .containsExactlyInAnyOrder(
            "list_definitions",
            "get_definition",
            "start_process",
            "get_process",
            "list_process_events",
            "list_my_tasks",
            "complete_task");

    JsonNode definitions =
        structured(ada.callTool(new McpSchema.CallToolRequest("list_definitions", Map.of())));
    assertThat(definitions.path("definitions").get(0).path("id").asText()).isEqualTo("review");
    JsonNode review =
        structured(
            ada.callTool(
                new McpSchema.CallToolRequest("get_definition", Map.of("definitionId", "review"))));
    assertThat(review.path("activities").get(0).path("id").asText()).isNotBlank();
    McpSchema.CallToolResult unknown =
        ada.callTool(
            new McpSchema.CallToolRequest("get_definition", Map.of("definitionId", "nope")));
    assertThat(unknown.isError()).isTrue();

    JsonNode started =
        structured(
            ada.callTool(
                new McpSchema.CallToolRequest(
                    "start_process",
                    Map.of("definitionId", "review", "input", Map.of("doc", "draft")))));
    String processId = started.path("id").asText();
    assertThat(started.path("created").asBoolean()).isTrue();
    String initiator =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT initiator FROM bpm_proc_inst WHERE id::text = :id")
                        .bind("id", processId)
                        .mapTo(String.class)
                        .one());
    assertThat(initiator).as("started as the caller").isEqualTo("ada");

    ClaimedTask claimed = engine.queue().claim("pod", LEASE, 1).getFirst();
    JsonNode form = Json.parse(REVIEW).path("activities").get(0).path("config").path("form");
    assertThat(engine.suspensions().park(claimed.task(), "ada", form))
        .isEqualTo(TaskOutcome.WAITING);

    JsonNode inbox =
        structured(ada.callTool(new McpSchema.CallToolRequest("list_my_tasks", Map.of())));
    assertThat(inbox.path("tasks").get(0).path("id").asLong()).isEqualTo(claimed.task().id());

    McpSchema.CallToolResult wrong =
        ada.callTool(
            new McpSchema.CallToolRequest(
                "complete_task",
                Map.of("taskId", claimed.task().id(), "output", Map.of("approved", "yes"))));
    assertThat(wrong.isError()).as("an answer off the form is the tool's error").isTrue();

    JsonNode done =
        structured(
            ada.callTool(
                new McpSchema.CallToolRequest(
                    "complete_task",
                    Map.of("taskId", claimed.task().id(), "output", Map.of("approved", true)))));
    assertThat(done.path("status").asText()).isEqualTo("DONE");

    JsonNode process =
        structured(
            ada.callTool(
                new McpSchema.CallToolRequest("get_process", Map.of("processId", processId))));
    assertThat(process.path("tasks")).hasSizeGreaterThanOrEqualTo(2);
    JsonNode events =
        structured(
            ada.callTool(
                new McpSchema.CallToolRequest(
                    "list_process_events", Map.of("processId", processId))));
    assertThat(events.path("events").findValuesAsText("type")).contains("task_completed");
  }

  @Test
  void eachToolActsAsTheCallerAndRefusalsAreToolErrors() {
    McpSyncClient ada = client(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    McpSyncClient bob = client(ApiClient.issueKey(db, "default", Role.USER, "bob"));
    String processId =
        structured(
                ada.callTool(
                    new McpSchema.CallToolRequest(
                        "start_process", Map.of("definitionId", "review"))))
            .path("id")
            .asText();

    McpSchema.CallToolResult hidden =
        bob.callTool(new McpSchema.CallToolRequest("get_process", Map.of("processId", processId)));
    assertThat(hidden.isError()).isTrue();
    assertThat(text(hidden)).contains("no process");
    McpSchema.CallToolResult unknown =
        ada.callTool(new McpSchema.CallToolRequest("start_process", Map.of("definitionId", "x")));
    assertThat(unknown.isError()).isTrue();
    assertThat(text(unknown)).contains("'x'");
    McpSchema.CallToolResult notAnId =
        ada.callTool(new McpSchema.CallToolRequest("get_process", Map.of("processId", "42")));
    assertThat(text(notAnId)).contains("not a process id");
  }

  @Test
  void withoutAValidCredentialNoClientGetsIn() {
    assertThatThrownBy(() -> client("pfk_nope_nope"))
        .hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
    HttpResponse<String> bare =
        new ApiClient(api.port())
            .postJson(McpEndpoint.PATH, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
    ApiClient.assertProblem(bare, 401, "unauthenticated");
  }

  @Test
  void theInspectorCliFromNpmListsToolsAndStartsAProcess() throws Exception {
    String key = ApiClient.issueKey(db, "default", Role.USER, "ada");
    String tools = inspector(key, "--method", "tools/list");
    assertThat(Json.parse(tools).path("tools").findValuesAsText("name"))
        .contains("start_process", "complete_task");

    String started =
        inspector(
            key,
            "--method",
            "tools/call",
            "--tool-name",
            "start_process",
            "--tool-arg",
            "definitionId=review");
    JsonNode result = Json.parse(started);
    assertThat(result.path("isError").asBoolean(false)).as(started).isFalse();
    String id = result.path("structuredContent").path("id").asText();
    long rows =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM bpm_proc_inst WHERE id::text = :id")
                        .bind("id", id)
                        .mapTo(Long.class)
                        .one());
    assertThat(rows).isEqualTo(1);
  }

  /** Runs inspector-cli against /mcp with the key; its standard output (JSON). */
  private String inspector(String key, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(NpmTools.node().toString());
    command.add(
        NpmTools.modules()
            .resolve("@modelcontextprotocol/inspector-cli/build/index.js")
            .toString());
    command.add("http://127.0.0.1:" + api.port() + McpEndpoint.PATH);
    command.addAll(List.of("--transport", "http", "--header", "Authorization: Bearer " + key));
    command.addAll(List.of(arguments));
    // 1.0.3 resolves its own files from the working directory: run it from node_modules.
    Process process =
        new ProcessBuilder(command)
            .directory(NpmTools.modules().toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
