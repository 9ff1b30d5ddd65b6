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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bodies shaped to hurt — nested too deep, strings or keys too long — are refused with a 400 while
 * parsing, and nothing is written; the largest shapes allowed still work.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class HostileJsonTest {
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
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A start whose input nests {@code levels} levels in all, the body's own object included. */
  private static String startNested(int levels) {
    int inner = levels - 2; // the body, then input
    return "{\"definitionId\":\"greet\",\"input\":{\"a\":"
        + "[".repeat(inner)
        + "]".repeat(inner)
        + "}}";
  }

  /** A JSON object of {@code bytes} bytes: {@code fields} padded with spaces before its end. */
  private static String paddedTo(String fields, long bytes) {
    return "{" + fields + " ".repeat((int) (bytes - fields.length() - 2)) + "}";
  }

  @Test
  void eachRouteRefusesABodyOverItsOwnLimitWith413AndWritesNothing() {
    String process =
        json(client.postJson("/api/v1/processes", "{\"definitionId\":\"greet\",\"input\":{}}"))
            .path("id")
            .asText();
    RowCounts before = RowCounts.of(db);
    String start = "\"definitionId\":\"greet\",\"input\":{}";
    String agent = "\"id\":\"big\",\"name\":\"Big\"";
    String[][] routes = {
      {"/api/v1/processes", start, String.valueOf(BodyLimit.START.maxBytes())},
      {"/api/v1/agents", agent, String.valueOf(BodyLimit.AGENT.maxBytes())},
      {
        "/api/v1/processes/" + process + "/cancel", "", String.valueOf(BodyLimit.COMMAND.maxBytes())
      },
      {"/api/v1/tasks/1/complete", "\"output\":{}", String.valueOf(BodyLimit.ANSWER.maxBytes())}
    };
    for (String[] route : routes) {
      long limit = Long.parseLong(route[2]);
      JsonNode problem =
          assertProblem(
              client.postJson(route[0], paddedTo(route[1], limit + 1)), 413, "request-too-large");
      assertThat(problem.path("detail").asText()).contains(limit + " bytes this route accepts");
    }
    // A command's blank body is read as none, but over its limit it is refused all the same.
    assertProblem(
        client.postJson(
            "/api/v1/processes/" + process + "/cancel",
            " ".repeat((int) BodyLimit.COMMAND.maxBytes() + 1)),
        413,
        "request-too-large");
    assertThat(RowCounts.of(db)).isEqualTo(before);
    // At the limit, the start is read (and runs).
    assertThat(
            client
                .postJson("/api/v1/processes", paddedTo(start, BodyLimit.START.maxBytes()))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void nestingBeyondTheLimitIs400AndWritesNothing() {
    RowCounts before = RowCounts.of(db);
    for (String body :
        new String[] {
          startNested(JsonBody.MAX_DEPTH + 1), "[".repeat(100_000) + "]".repeat(100_000)
        }) {
      JsonNode problem =
          assertProblem(client.postJson("/api/v1/processes", body), 400, "invalid-request");
      assertThat(problem.path("detail").asText()).contains("deeper than " + JsonBody.MAX_DEPTH);
    }
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(client.postJson("/api/v1/processes", startNested(JsonBody.MAX_DEPTH)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void aStringOrKeyBeyondTheLimitIs400AndWritesNothing() {
    RowCounts before = RowCounts.of(db);
    String tooLong = "x".repeat(JsonBody.MAX_STRING_CHARS + 1);
    for (String body :
        new String[] {
          "{\"definitionId\":\"greet\",\"input\":{\"s\":\"" + tooLong + "\"}}",
          "{\"definitionId\":\"greet\",\"input\":{\"" + tooLong + "\":1}}"
        }) {
      assertProblem(client.postJson("/api/v1/processes", body), 400, "invalid-request");
    }
    assertThat(RowCounts.of(db)).isEqualTo(before);
    String longest = "x".repeat(JsonBody.MAX_STRING_CHARS);
    assertThat(
            client
                .postJson(
                    "/api/v1/processes",
                    "{\"definitionId\":\"greet\",\"input\":{\"s\":\"" + longest + "\"}}")
                .statusCode())
        .isEqualTo(201);
  }

  /**
   * Found by HostileInputPropertyTest: a key longer than the store's reader takes (50,000
   * characters) was stored, failed the read-back and answered 500.
   */
  @Test
  void aKeyLongerThanTheStoreReadsBackIs400AndWritesNothing() {
    RowCounts before = RowCounts.of(db);
    String start = "{\"definitionId\":\"greet\",\"input\":{\"%s\":1}}";
    assertProblem(
        client.postJson(
            "/api/v1/processes", start.formatted("k".repeat(JsonBody.MAX_KEY_CHARS + 1))),
        400,
        "invalid-request");
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(
            client
                .postJson("/api/v1/processes", start.formatted("k".repeat(JsonBody.MAX_KEY_CHARS)))
                .statusCode())
        .isEqualTo(201);
  }

  /** Found by HostileInputPropertyTest: Javalin decoding a body with a bogus charset was a 500. */
  @Test
  void aBodyInACharsetNoOneKnowsIs415AndWritesNothing() {
    String process =
        json(client.postJson("/api/v1/processes", "{\"definitionId\":\"greet\"}"))
            .path("id")
            .asText();
    RowCounts before = RowCounts.of(db);
    for (String contentType :
        new String[] {"application/json;charset=\"", "application/json; charset=no-such-charset"}) {
      for (String command : new String[] {"cancel", "retry"}) {
        assertProblem(
            client.post(
                "/api/v1/processes/" + process + "/" + command, "{}", "Content-Type", contentType),
            415,
            "unsupported-media-type");
      }
    }
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  /** Found by HostileInputPropertyTest: an instant Java parses but PostgreSQL cannot hold. */
  @Test
  void aDateFilterBeyondYear9999OrBeforeYear1Is400() {
    for (String instant :
        new String[] {
          "-999999999-01-01T00:00:00Z",
          "+1000000000-12-31T23:59:59Z",
          "+10000-01-01T00:00:00Z",
          "0000-12-31T23:59:59Z"
        }) {
      for (String filter : new String[] {"createdAfter", "createdBefore"}) {
        JsonNode problem =
            assertProblem(
                client.get("/api/v1/processes?" + filter + "=" + instant.replace("+", "%2B")),
                400,
                "invalid-request");
        assertThat(problem.path("detail").asText()).contains(filter).contains("year 1 to 9999");
      }
    }
    assertThat(client.get("/api/v1/processes?createdAfter=0001-01-01T00:00:00Z").statusCode())
        .isEqualTo(200);
    assertThat(client.get("/api/v1/processes?createdBefore=9999-12-31T23:59:59Z").statusCode())
        .isEqualTo(200);
  }
}
