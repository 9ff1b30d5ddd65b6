package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
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
            db, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.empty());
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
}
