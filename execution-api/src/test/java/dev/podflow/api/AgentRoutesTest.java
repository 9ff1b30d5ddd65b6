package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class AgentRoutesTest {
  private Database db;
  private ExecutionApi api;
  private ApiClient client;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private long agentRows() {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM agents").mapTo(Long.class).one());
  }

  @Test
  void anAgentIsCreatedThenReplacedAndReadBack() {
    String body =
        """
        {"id":"writer","name":"Writer","persona":"You write letters.",
         "instructions":"Be brief.","model":"gpt-4o-mini","tools":["current_time"],
         "orchestrator":"llm-action"}""";
    HttpResponse<String> created = client.postJson("/api/v1/agents", body);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/agents/writer");
    assertThat(json(created).path("persona").asText()).isEqualTo("You write letters.");

    HttpResponse<String> replaced =
        client.postJson("/api/v1/agents", "{\"id\":\"writer\",\"name\":\"Writer 2\"}");
    assertThat(replaced.statusCode()).isEqualTo(200);

    JsonNode agent = json(client.get("/api/v1/agents/writer"));
    assertThat(agent.path("name").asText()).isEqualTo("Writer 2");
    assertThat(agent.path("persona").asText()).isEmpty();
    assertThat(agent.path("model").isNull()).isTrue();
    assertThat(agent.path("tools")).isEmpty();
    assertThat(agent.path("orchestrator").asText()).isEqualTo("llm-action");
    assertThat(agent.path("createdAt").asText()).isNotBlank();
    assertThat(agentRows()).isEqualTo(1);
  }

  @Test
  void anAgentMayBeARemotePeerWithTheSecretItsTokenComesFrom() {
    HttpResponse<String> created =
        client.postJson(
            "/api/v1/agents",
            """
            {"id":"legal","name":"Legal review","orchestrator":"a2a",
             "a2a":{"agentCardUrl":"https://legal.example/.well-known/agent-card.json",
                    "credentials":"LEGAL_TOKEN"}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode agent = json(client.get("/api/v1/agents/legal"));
    assertThat(agent.at("/a2a/credentials").asText()).isEqualTo("LEGAL_TOKEN");

    JsonNode invalid =
        assertProblem(
            client.postJson(
                "/api/v1/agents",
                "{\"id\":\"x\",\"name\":\"X\",\"a2a\":{\"agentCardUrl\":\"ftp://x\","
                    + "\"credentials\":\"not a name\",\"token\":\"t\"}}"),
            422,
            "invalid-agent");
    assertThat(invalid.path("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/a2a/token", "/a2a/agentCardUrl", "/a2a/credentials");
  }

  @Test
  void anAgentsRecallProfileIsStoredOrRefusedFieldByField() {
    HttpResponse<String> created =
        client.postJson(
            "/api/v1/agents",
            """
            {"id":"clerk","name":"Clerk",
             "memory":{"topK":3,"minScore":0.5,"sources":["knowledge"],"documents":false}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode memory = json(client.get("/api/v1/agents/clerk")).path("memory");
    assertThat(memory.path("topK").asInt()).isEqualTo(3);
    assertThat(memory.path("sources").get(0).asText()).isEqualTo("knowledge");
    assertThat(memory.path("documents").asBoolean(true)).isFalse();

    JsonNode invalid =
        assertProblem(
            client.postJson(
                "/api/v1/agents",
                "{\"id\":\"clerk\",\"name\":\"Clerk\",\"memory\":{\"recall\":\"no\","
                    + "\"topK\":0,\"minScore\":2,\"sources\":[\"gossip\"],\"depth\":1}}"),
            422,
            "invalid-agent");
    assertThat(invalid.path("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder(
            "/memory/recall",
            "/memory/topK",
            "/memory/minScore",
            "/memory/sources/0",
            "/memory/depth");
    // Refused: the stored profile is unchanged.
    assertThat(json(client.get("/api/v1/agents/clerk")).at("/memory/topK").asInt()).isEqualTo(3);

    HttpResponse<String> cleared =
        client.postJson("/api/v1/agents", "{\"id\":\"clerk\",\"name\":\"Clerk\"}");
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    assertThat(json(cleared).path("memory").isNull()).isTrue();
  }

  @Test
  void anUnknownAgentIs404() {
    HttpResponse<String> missing = client.get("/api/v1/agents/nobody");
    assertProblem(missing, 404, "agent-not-found");
  }

  @Test
  void invalidAgentsAre422WithPointersAndWriteNothing() {
    HttpResponse<String> invalid =
        client.postJson(
            "/api/v1/agents",
            "{\"id\":\"bad id\",\"persona\":7,\"tools\":[\"x\",\"x\",\"\"],\"colour\":\"red\"}");
    assertProblem(invalid, 422, "invalid-agent");
    assertThat(json(invalid).path("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/colour", "/id", "/name", "/persona", "/tools/1", "/tools/2");
    assertThat(agentRows()).isZero();

    assertProblem(client.postJson("/api/v1/agents", "[1]"), 400, "invalid-request");
  }
}
