package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.tx.EventTypes;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class ProcessRoutesTest {
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
    assertThat(
            client
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static String startBody(Object input) {
    return Json.write(
        Json.object().put("definitionId", "greet").set("input", Json.MAPPER.valueToTree(input)));
  }

  @Test
  void startCreatesARunningInstanceWithOnePendingTaskForTheFirstActivity() {
    HttpResponse<String> started =
        client.postJson("/api/v1/processes", startBody(java.util.Map.of("name", "Ada")));

    assertThat(started.statusCode()).isEqualTo(201);
    String id = json(started).path("id").asText();
    assertThat(json(started).path("status").asText()).isEqualTo("RUNNING");
    assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/processes/" + id);

    HttpResponse<String> read = client.get("/api/v1/processes/" + id);
    assertThat(read.statusCode()).isEqualTo(200);
    JsonNode process = json(read);
    assertThat(process.path("id").asText()).isEqualTo(id);
    assertThat(process.path("definitionId").asText()).isEqualTo("greet");
    assertThat(process.path("definitionVersion").asInt()).isEqualTo(1);
    assertThat(process.path("status").asText()).isEqualTo("RUNNING");
    assertThat(process.path("input").path("name").asText()).isEqualTo("Ada");
    assertThat(process.path("output").isNull()).isTrue();
    assertThat(process.path("createdAt").asText()).isNotBlank();
    assertThat(process.path("finishedAt").isNull()).isTrue();
    assertThat(process.path("tasks")).hasSize(1);
    JsonNode task = process.path("tasks").get(0);
    assertThat(task.path("activityId").asText()).isEqualTo("a1");
    assertThat(task.path("status").asText()).isEqualTo("PENDING");
    assertThat(task.path("attempts").asInt()).isZero();
    assertThat(task.path("claimedBy").isNull()).isTrue();
    assertThat(
            task.has("id")
                && task.has("createdAt")
                && task.has("startedAt")
                && task.has("finishedAt"))
        .isTrue();

    JsonNode events = json(client.get("/api/v1/processes/" + id + "/events")).path("events");
    assertThat(events.findValuesAsText("type"))
        .containsExactly(EventTypes.PROCESS_STARTED, EventTypes.TASK_QUEUED);
  }

  @Test
  void inputIsOptionalAndDefaultsToAnEmptyObject() {
    HttpResponse<String> started =
        client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}");

    assertThat(started.statusCode()).isEqualTo(201);
    JsonNode process = json(client.get("/api/v1/processes/" + json(started).path("id").asText()));
    assertThat(process.path("input").isObject()).isTrue();
    assertThat(process.path("input").isEmpty()).isTrue();
  }

  @Test
  void theSameIdempotencyKeyAnswers200WithTheSameInstanceAndWritesNothingMore() {
    String body = startBody(java.util.Map.of("n", 1));
    HttpResponse<String> first =
        client.postJson("/api/v1/processes", body, "Idempotency-Key", "order-42");
    RowCounts afterFirst = RowCounts.of(db);

    HttpResponse<String> again =
        client.postJson("/api/v1/processes", body, "Idempotency-Key", "order-42");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("id").asText()).isEqualTo(json(first).path("id").asText());
    assertThat(again.headers().firstValue("Location"))
        .isEqualTo(first.headers().firstValue("Location"));
    assertThat(RowCounts.of(db)).isEqualTo(afterFirst);
    assertThat(afterFirst.instances()).isEqualTo(1);
    assertThat(afterFirst.tasks()).isEqualTo(1);
  }

  @Test
  void twentyConcurrentStartsWithOneKeyCreateOneInstance() {
    String body = startBody(java.util.Map.of("n", 1));
    List<CompletableFuture<HttpResponse<String>>> inFlight =
        IntStream.range(0, 20)
            .mapToObj(
                i ->
                    client.http.sendAsync(
                        client
                            .request("/api/v1/processes", "Idempotency-Key", "burst-1")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();
    List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();

    assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201);
    assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
    assertThat(responses)
        .extracting(r -> json(r).path("id").asText())
        .containsOnly(json(responses.get(0)).path("id").asText());
    RowCounts counts = RowCounts.of(db);
    assertThat(counts.instances()).isEqualTo(1);
    assertThat(counts.tasks()).isEqualTo(1);
  }

  @Test
  void aReusedKeyWithADifferentInputIs409AndWritesNothing() {
    client.postJson(
        "/api/v1/processes", startBody(java.util.Map.of("n", 1)), "Idempotency-Key", "k-1");
    RowCounts before = RowCounts.of(db);

    HttpResponse<String> reused =
        client.postJson(
            "/api/v1/processes", startBody(java.util.Map.of("n", 2)), "Idempotency-Key", "k-1");

    JsonNode problem = assertProblem(reused, 409, "idempotency-key-reused");
    assertThat(problem.path("detail").asText()).contains("k-1");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aRetryWhoseNumbersAreSpelledDifferentlyIsTheSameRequest() {
    String first = "{\"definitionId\": \"greet\", \"input\": {\"amount\": 1e2, \"rate\": 0.50}}";
    String retry = "{\"definitionId\": \"greet\", \"input\": {\"rate\": 0.5, \"amount\": 100}}";
    HttpResponse<String> created =
        client.postJson("/api/v1/processes", first, "Idempotency-Key", "spelled");
    assertThat(created.statusCode()).isEqualTo(201);

    HttpResponse<String> repeated =
        client.postJson("/api/v1/processes", retry, "Idempotency-Key", "spelled");

    assertThat(repeated.statusCode()).as(repeated.body()).isEqualTo(200);
    assertThat(json(repeated).path("id").asText()).isEqualTo(json(created).path("id").asText());
  }

  @Test
  void anUnknownDefinitionIs422AndWritesNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/processes", "{\"definitionId\": \"nope\", \"input\": {}}"),
            422,
            "unknown-definition");

    assertThat(problem.path("detail").asText()).contains("nope");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void badStartRequestsAre400AndWriteNothing() {
    RowCounts before = RowCounts.of(db);

    assertProblem(client.postJson("/api/v1/processes", "{\"input\": {}}"), 400, "invalid-request");
    assertProblem(
        client.postJson("/api/v1/processes", "{\"definitionId\": 7}"), 400, "invalid-request");
    assertProblem(
        client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\", \"input\": [1]}"),
        400,
        "invalid-request");
    assertProblem(
        client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\", \"inputs\": {}}"),
        400,
        "invalid-request");
    assertProblem(
        client.postJson(
            "/api/v1/processes", startBody(java.util.Map.of()), "Idempotency-Key", "x".repeat(201)),
        400,
        "invalid-request");
    assertProblem(
        client.postJson("/api/v1/processes", "{\"definitionId\":"), 400, "malformed-json");
    assertProblem(client.postJson("/api/v1/processes", "42"), 400, "invalid-request");
    assertProblem(
        client.post(
            "/api/v1/processes", startBody(java.util.Map.of()), "Content-Type", "text/plain"),
        415,
        "unsupported-media-type");

    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aKeyOfExactly200CharactersIsAccepted() {
    HttpResponse<String> started =
        client.postJson(
            "/api/v1/processes", startBody(java.util.Map.of()), "Idempotency-Key", "k".repeat(200));

    assertThat(started.statusCode()).isEqualTo(201);
  }

  @Test
  void anUnknownProcessIs404AndAMalformedIdIs400() {
    JsonNode missing =
        assertProblem(
            client.get("/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000"),
            404,
            "process-not-found");
    assertThat(missing.path("detail").asText()).contains("3f2b6c1e-0000-4000-8000-000000000000");

    JsonNode malformed =
        assertProblem(client.get("/api/v1/processes/not-a-uuid"), 400, "invalid-request");
    assertThat(malformed.path("detail").asText()).contains("not-a-uuid").contains("UUID");
    assertProblem(client.get("/api/v1/processes/not-a-uuid/events"), 400, "invalid-request");
  }

  @Test
  void unknownRoutesAre404AndWrongMethodsAre405() {
    RowCounts before = RowCounts.of(db);

    assertProblem(client.get("/api/v2/nothing"), 404, "route-not-found");
    HttpResponse<String> getOnPostOnly = client.get("/api/v1/tasks/1/complete");
    assertProblem(getOnPostOnly, 405, "method-not-allowed");
    assertThat(getOnPostOnly.headers().firstValue("Allow")).hasValue("POST");
    assertProblem(
        client.send(client.request("/api/v1/definitions/greet").DELETE()),
        405,
        "method-not-allowed");
    assertProblem(
        client.send(
            client
                .request("/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))),
        405,
        "method-not-allowed");

    assertThat(RowCounts.of(db)).isEqualTo(before);
  }
}
