package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Valid JSON that PostgreSQL cannot store is refused with 422 pointing at the value, on every route
 * that takes a body, and nothing is written; a NUL in a query parameter is a 400, not a 500. (The
 * bodies below are JSON text: {@code \\u0000} in Java source is the JSON escape {@code \u0000}.)
 */
@ExtendWith(PodflowDatabaseExtension.class)
class UnstorableJsonTest {
  private static final String CANCEL_PATH = "/api/v1/processes/%s/cancel";

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

  @Test
  void aNulInAStartInputIs422PointingAtItAndWritesNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson(
                "/api/v1/processes", "{\"definitionId\":\"greet\",\"input\":{\"s\":\"\\u0000\"}}"),
            422,
            "unstorable-json");

    assertThat(problem.path("detail").asText()).contains("1 value").contains("cannot be stored");
    assertThat(problem.path("errors")).hasSize(1);
    assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/input/s");
    assertThat(problem.path("errors").get(0).path("detail").asText())
        .contains("U+0000")
        .contains("PostgreSQL");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void keysNestedValuesUnpairedSurrogatesAndInfiniteNumbersAreEachPointedAt() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson(
                "/api/v1/processes",
                """
                {"definitionId":"greet","input":{
                  "a\\u0000b": 1,
                  "list": [1, {"x/y~": "\\ud800 alone"}],
                  "big": 1e400,
                  "fine": "\\u0001 and \\ud83d\\ude00"}}"""),
            422,
            "unstorable-json");

    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .containsExactly("/input/a\u0000b", "/input/list/1/x~1y~0", "/input/big");
    assertThat(problem.path("errors").findValuesAsText("detail"))
        .satisfiesExactly(
            key -> assertThat(key).startsWith("the key holds U+0000"),
            surrogate -> assertThat(surrogate).contains("unpaired UTF-16 surrogate (\\ud800)"),
            number -> assertThat(number).contains("beyond the range"));
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aNulInAFieldTheRouteWouldLookUpIsRefusedBeforeTheLookup() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/processes", "{\"definitionId\":\"gr\\u0000eet\"}"),
            422,
            "unstorable-json");

    assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/definitionId");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void everyRouteThatTakesABodyRefusesIt() {
    String started =
        json(client.postJson("/api/v1/processes", "{\"definitionId\":\"greet\"}"))
            .path("id")
            .asText();
    RowCounts before = RowCounts.of(db);

    assertPointer(
        client.postJson(
            "/api/v1/definitions",
            """
            {"id":"d","activities":[{"id":"a","orchestrator":"noop","name":"\\u0000"}]}"""),
        "/activities/0/name");
    assertPointer(
        client.postJson("/api/v1/agents", "{\"id\":\"w\",\"name\":\"W\",\"persona\":\"\\u0000\"}"),
        "/persona");
    assertPointer(client.postJson(CANCEL_PATH.formatted(started), "{\"\\u0000\":1}"), "/\u0000");
    assertPointer(
        client.postJson("/api/v1/tasks/1/complete", "{\"output\":{\"ok\":\"\\u0000\"}}"),
        "/output/ok");

    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(json(client.get("/api/v1/processes/" + started)).path("status").asText())
        .isEqualTo("RUNNING");
  }

  @Test
  void aBodyWithManyUnstorableValuesListsTheFirstTwentyAndCountsThemAll() {
    String values = String.join(",", java.util.Collections.nCopies(25, "\"\\u0000\""));

    JsonNode problem =
        assertProblem(
            client.postJson(
                "/api/v1/processes",
                "{\"definitionId\":\"greet\",\"input\":{\"l\":[" + values + "]}}"),
            422,
            "unstorable-json");

    assertThat(problem.path("detail").asText()).contains("25 values").contains("first 20");
    assertThat(problem.path("errors")).hasSize(StorableJson.MAX_REPORTED);
  }

  @Test
  void controlCharactersOtherThanNulAndEmojiAreStoredAndReadBackUnchanged() {
    HttpResponse<String> started =
        client.postJson(
            "/api/v1/processes",
            "{\"definitionId\":\"greet\",\"input\":{\"s\":\"\\u0001\\t\\ud83d\\ude00\","
                + "\"n\":1.7976931348623157e308}}");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    JsonNode input =
        json(client.get("/api/v1/processes/" + json(started).path("id").asText())).path("input");
    assertThat(input.path("s").asText()).isEqualTo("\u0001\t\uD83D\uDE00");
    assertThat(input.path("n").asDouble()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aNulInAQueryParameterIs400InsteadOfFailingInTheDatabase() {
    JsonNode problem =
        assertProblem(
            client.get("/api/v1/tasks?status=WAITING&assignee=a%00b"), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).contains("'assignee'").contains("U+0000");
  }

  private static void assertPointer(HttpResponse<String> response, String pointer) {
    JsonNode problem = assertProblem(response, 422, "unstorable-json");
    assertThat(problem.path("errors").findValuesAsText("pointer")).containsExactly(pointer);
  }
}
