package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Database;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS only when origins are configured, and then for exactly those; {@code /metrics} on the API's
 * port unless it has a port of its own, where the API's port then answers it 404.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class CorsAndMetricsPortTest {
  private static final String APP = "https://app.example.com";

  private static ExecutionApi start(Database db, ApiSettings settings) {
    return ExecutionApi.start(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), settings);
  }

  private static HttpResponse<String> preflight(ApiClient client, String origin) {
    return client.send(
        client
            .request(
                "/api/v1/processes",
                "Origin",
                origin,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization, content-type, x-anything")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void withoutOriginsNoCorsHeaderIsEverSent(Database db) {
    try (ExecutionApi api = start(db, ApiSettings.onPort(0))) {
      ApiClient client = ApiClient.admin(db, api.port());

      HttpResponse<String> preflight = preflight(client, APP);
      HttpResponse<String> get = client.get("/api/v1/processes", "Origin", APP);

      for (HttpResponse<String> response : List.of(preflight, get)) {
        assertThat(response.headers().map().keySet())
            .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
      }
      assertThat(get.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aConfiguredOriginGetsExactlyTheApisHeadersAndMethods(Database db) {
    try (ExecutionApi api =
        start(db, ApiSettings.onPort(0).withCorsOrigins(List.of(APP, "http://localhost:3000")))) {
      ApiClient client = ApiClient.admin(db, api.port());

      HttpResponse<String> preflight = preflight(client, APP);

      assertThat(preflight.statusCode()).isEqualTo(200);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
          .hasValue("true");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
          .hasValue("Authorization, Content-Type, Idempotency-Key, Last-Event-ID");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
          .hasValue("GET, POST");
      assertThat(preflight.headers().allValues("Vary")).contains("Origin");

      HttpResponse<String> get = client.get("/api/v1/processes", "Origin", APP);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      // A request without Origin (not from a browser) is served as before.
      assertThat(client.get("/api/v1/processes").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anotherOriginIsRefusedWithProblemJsonAndWritesNothing(Database db) {
    try (ExecutionApi api = start(db, ApiSettings.onPort(0).withCorsOrigins(List.of(APP)))) {
      ApiClient client = ApiClient.admin(db, api.port());
      assertThat(
              client
                  .postJson("/api/v1/definitions", Definitions.linear("greet", "noop"))
                  .statusCode())
          .isEqualTo(201);
      RowCounts before = RowCounts.of(db);

      for (String origin :
          List.of("https://evil.example", "null", APP + ":8443", "http://app.example.com")) {
        HttpResponse<String> preflight = preflight(client, origin);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> start =
            client.postJson("/api/v1/processes", "{\"definitionId\":\"greet\"}", "Origin", origin);
        assertProblem(start, 400, "invalid-request");
        assertThat(start.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      }
      assertThat(RowCounts.of(db)).isEqualTo(before);
    }
  }

  @Test
  void metricsAreOnTheApiPortByDefault(Database db) {
    try (ExecutionApi api = start(db, ApiSettings.onPort(0))) {
      HttpResponse<String> metrics = new ApiClient(api.port()).get("/metrics");

      assertThat(api.metricsPort()).isEmpty();
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue(HealthRoutes.PROMETHEUS_TEXT);
    }
  }

  @Test
  void aMetricsPortOfItsOwnTakesMetricsOffTheApiPort(Database db) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("podflow.test.marker").increment();
    try (ExecutionApi api =
        ExecutionApi.start(
            db, registry, ApiSettings.onPort(0).withMetricsPort(OptionalInt.of(0)))) {
      int metricsPort = api.metricsPort().orElseThrow();
      assertThat(metricsPort).isNotEqualTo(api.port());
      ApiClient apiPort = new ApiClient(api.port());

      HttpResponse<String> metrics = new ApiClient(metricsPort).get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue(HealthRoutes.PROMETHEUS_TEXT);
      assertThat(metrics.body()).contains("podflow_test_marker_total 1.0");

      assertProblem(apiPort.get("/metrics"), 404, "route-not-found");
      assertThat(apiPort.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(new ApiClient(metricsPort).get("/api/v1/processes").statusCode()).isEqualTo(404);
    }
  }
}
