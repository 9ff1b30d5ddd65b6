package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class OperationsTest {

  @Test
  void healthAndReadinessAreUpWhileTheDatabaseAnswers(Database db) {
    try (ExecutionApi api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0))) {
      ApiClient client = ApiClient.admin(db, api.port());

      HttpResponse<String> health = client.get("/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(json(health).path("status").asText()).isEqualTo("UP");
      HttpResponse<String> ready = client.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(json(ready).path("status").asText()).isEqualTo("UP");
    }
  }

  @Test
  void withoutADatabaseTheProcessIsAliveButNotReady() {
    DatabaseConfig nowhere =
        new DatabaseConfig(
            "jdbc:postgresql://127.0.0.1:1/podflow?connectTimeout=1",
            "postgres",
            null,
            2,
            "podflow-nowhere");
    try (Database unreachable = Database.connect(nowhere);
        ExecutionApi api =
            ExecutionApi.start(
                unreachable,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                ApiSettings.onPort(0))) {
      ApiClient client = new ApiClient(api.port());

      assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
      assertProblem(client.get("/readyz"), 503, "not-ready");
    }
  }

  @Test
  void anUnexpectedFailureIs500WithAGenericDetail(TestDatabase testDb) {
    // A schema that does not exist: every query fails the way an unmigrated database would.
    String url = testDb.config().jdbcUrl();
    DatabaseConfig unmigrated =
        new DatabaseConfig(
            url + (url.contains("?") ? "&" : "?") + "currentSchema=podflow_nowhere",
            testDb.config().user(),
            testDb.config().password(),
            2,
            "podflow-unmigrated");
    try (Database db = Database.connect(unmigrated);
        ExecutionApi api =
            ExecutionApi.start(
                db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0))) {
      // A well-formed key: checking it is the first query, and fails like any other would.
      ApiClient client = new ApiClient(api.port(), "pfk_" + "a".repeat(12) + "_" + "b".repeat(40));

      JsonNode problem =
          assertProblem(
              client.get("/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000"),
              500,
              "internal-error");

      assertThat(problem.path("detail").asText())
          .doesNotContain("bpm_proc_inst")
          .doesNotContain("SQL")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aFreshApiReportsAnEmptyQueueAsZerosNotNoData(Database db) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ExecutionApi api = ExecutionApi.start(db, registry, ApiSettings.onPort(0))) {
      api.queueDepthGauge().refresh();
      assertThat(registry.scrape())
          .contains("podflow_queue_depth{orchestrator=\"noop\",status=\"PENDING\"} 0.0")
          .contains("podflow_queue_depth{orchestrator=\"human\",status=\"WAITING\"} 0.0")
          .contains("podflow_queue_oldest_pending_age_seconds 0.0");
    }
  }

  @Test
  void metricsExposeRequestTimersByRouteTemplateAndTheQueueDepth(Database db) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ExecutionApi api = ExecutionApi.start(db, registry, ApiSettings.onPort(0))) {
      ApiClient client = ApiClient.admin(db, api.port());
      client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));
      String id =
          json(client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}"))
              .path("id")
              .asText();
      client.get("/api/v1/processes/" + id);
      client.get("/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000");
      client.get("/no/such/route");
      // The gauge reads across tenants (as podflow_metrics, under row-level security).
      ApiClient other =
          new ApiClient(api.port(), ApiClient.issueKey(db, "ops-other", Role.ADMIN, null));
      other.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));
      other.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}");
      int unfinishedStatuses = 4;
      assertThat(api.queueDepthGauge().refresh())
          .as("a series per orchestrator the API knows and unfinished status, no more")
          .isEqualTo(unfinishedStatuses * OrchestratorRegistry.discover().sortedNames().size());

      HttpResponse<String> metrics = client.get("/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      String text = metrics.body();
      assertThat(text)
          .contains("podflow_http_server_requests")
          .contains("method=\"GET\",route=\"/api/v1/processes/{id}\",status=\"200\"")
          .contains("method=\"GET\",route=\"/api/v1/processes/{id}\",status=\"404\"")
          .contains("method=\"POST\",route=\"/api/v1/processes\",status=\"201\"")
          .contains("route=\"unmatched\",status=\"404\"")
          .doesNotContain(id)
          .doesNotContain("/no/such/route")
          .contains("podflow_queue_depth{orchestrator=\"noop\",status=\"PENDING\"} 2.0")
          .contains("podflow_queue_depth{orchestrator=\"noop\",status=\"IN_PROGRESS\"} 0.0")
          .containsPattern("podflow_queue_oldest_pending_age_seconds [0-9.]+")
          .contains("hikaricp_connections_max{pool=\"podflow-api\"}");
      // Podflow's own meters and its pools'; the JVM's are bound by ./podflow api.
      assertThat(text.lines().filter(l -> !l.startsWith("#")))
          .allSatisfy(line -> assertThat(line).matches("(podflow|hikaricp)_.*"));
    }
  }
}
