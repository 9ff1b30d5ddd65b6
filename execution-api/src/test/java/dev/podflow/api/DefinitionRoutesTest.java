package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Database;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class DefinitionRoutesTest {
  private Database db;
  private ExecutionApi api;
  private ApiClient client;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api = ExecutionApi.start(db, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    client = new ApiClient(api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void publishingTheSameIdAgainCreatesTheNextVersion() {
    HttpResponse<String> first =
        client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(json(first).path("id").asText()).isEqualTo("greet");
    assertThat(json(first).path("version").asInt()).isEqualTo(1);
    assertThat(first.headers().firstValue("Location"))
        .hasValue("/api/v1/definitions/greet?version=1");

    ObjectNode changed = Definitions.linear("greet", "noop", "sleep").put("name", "Greet twice");
    HttpResponse<String> second = client.postJson("/api/v1/definitions", changed);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(json(second).path("version").asInt()).isEqualTo(2);

    JsonNode latest = json(client.get("/api/v1/definitions/greet"));
    assertThat(latest.path("id").asText()).isEqualTo("greet");
    assertThat(latest.path("version").asInt()).isEqualTo(2);
    assertThat(latest.path("name").asText()).isEqualTo("Greet twice");
    assertThat(latest.path("activities")).hasSize(2);
    assertThat(latest.path("activities").get(1).path("orchestrator").asText()).isEqualTo("sleep");
    assertThat(latest.path("createdAt").asText()).isNotBlank();

    HttpResponse<String> v1 = client.get("/api/v1/definitions/greet?version=1");
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(json(v1).path("version").asInt()).isEqualTo(1);
    assertThat(json(v1).path("activities")).hasSize(1);
    assertThat(json(v1).path("activities").get(0).path("id").asText()).isEqualTo("a1");
  }

  @Test
  void anInvalidDefinitionIs422WithAPointerPerViolationAndWritesNothing() {
    String body =
        """
        {"id": "bad id!", "activities": [{"id": "a", "orchestrator": "noop", "next": ["nowhere"]},
                                          {"orchestrator": "noop", "colour": "red"}]}
        """;
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(client.postJson("/api/v1/definitions", body), 422, "invalid-definition");

    assertThat(problem.path("errors").isArray()).isTrue();
    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .contains("/id", "/activities/1/id", "/activities/1/colour");
    problem.path("errors").forEach(e -> assertThat(e.path("detail").asText()).isNotBlank());
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void unknownDefinitionOrVersionIs404() {
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));

    assertProblem(client.get("/api/v1/definitions/nope"), 404, "definition-not-found");
    assertProblem(client.get("/api/v1/definitions/greet?version=7"), 404, "definition-not-found");
  }

  @Test
  void aVersionThatIsNotAPositiveNumberIs400() {
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));

    assertProblem(client.get("/api/v1/definitions/greet?version=abc"), 400, "invalid-request");
    assertProblem(client.get("/api/v1/definitions/greet?version=0"), 400, "invalid-request");
  }

  @Test
  void malformedOrNonObjectBodiesAre400AndWriteNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode malformed =
        assertProblem(
            client.postJson("/api/v1/definitions", "{\"id\": \"greet\", "), 400, "malformed-json");
    assertThat(malformed.path("detail").asText())
        .doesNotContain("Exception")
        .doesNotContain("at dev.");
    assertThat(
            assertProblem(client.postJson("/api/v1/definitions", "{} {}"), 400, "malformed-json")
                .path("detail")
                .asText())
        .contains("more than one JSON value");
    assertProblem(client.postJson("/api/v1/definitions", "{} x"), 400, "malformed-json");
    assertProblem(
        client.postJson("/api/v1/definitions", "{\"id\": \"a\", \"id\": \"b\"}"),
        400,
        "malformed-json");
    assertProblem(client.postJson("/api/v1/definitions", "[1, 2]"), 400, "invalid-request");
    assertProblem(client.postJson("/api/v1/definitions", "\"greet\""), 400, "invalid-request");
    assertProblem(client.postJson("/api/v1/definitions", ""), 400, "invalid-request");

    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aBodyWithoutAJsonContentTypeIs415AndWritesNothing() {
    String body = Definitions.linear("greet", "noop").toString();
    RowCounts before = RowCounts.of(db);

    assertProblem(client.post("/api/v1/definitions", body), 415, "unsupported-media-type");
    assertProblem(
        client.post("/api/v1/definitions", body, "Content-Type", "text/plain"),
        415,
        "unsupported-media-type");
    assertProblem(
        client.post("/api/v1/definitions", body, "Content-Type", "application/jsonx"),
        415,
        "unsupported-media-type");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void jsonContentTypesWithParametersAndSuffixesAreAccepted() {
    String body = Definitions.linear("greet", "noop").toString();

    assertThat(
            client
                .post(
                    "/api/v1/definitions", body, "Content-Type", "application/json; charset=utf-8")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            client
                .post("/api/v1/definitions", body, "Content-Type", "Application/vnd.podflow+json")
                .statusCode())
        .isEqualTo(201);
    assertThat(json(client.get("/api/v1/definitions/greet")).path("version").asInt()).isEqualTo(2);
  }
}
