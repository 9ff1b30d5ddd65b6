package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * Probes and metrics: {@code /healthz} answers while the process runs (liveness), {@code /readyz}
 * only while the database answers (readiness), {@code /metrics} is the Prometheus scrape. When
 * {@code /metrics} is served on a port of its own ({@link ApiSettings#metricsPort()}), the API's
 * port answers it 404 like any unknown route (it stays registered, so the OpenAPI document's routes
 * are the same in both modes).
 */
final class HealthRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Readiness answers within this even when the pool would wait longer for a connection. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final PrometheusMeterRegistry registry;
  private final boolean servesMetrics;

  /**
   * @param servesMetrics false when {@code /metrics} is served on another port
   */
  HealthRoutes(Database database, PrometheusMeterRegistry registry, boolean servesMetrics) {
    this.database = database;
    this.registry = registry;
    this.servesMetrics = servesMetrics;
  }

  void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")), Access.OPEN);
    routes.get("/readyz", this::ready, Access.OPEN);
    routes.get("/metrics", this::metrics, Access.OPEN);
  }

  private void metrics(Context ctx) {
    if (!servesMetrics) throw new NotFoundResponse();
    scrape(ctx, registry);
  }

  static void scrape(Context ctx, PrometheusMeterRegistry registry) {
    ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape());
  }

  private void ready(Context ctx) {
    if (!database.isReachable(READY_TIMEOUT)) {
      throw new NotReadyException(
          "the database did not answer within "
              + READY_TIMEOUT.toSeconds()
              + " s (pool "
              + database.config().poolName()
              + "); not taking traffic");
    }
    ctx.json(Map.of("status", "UP"));
  }
}
