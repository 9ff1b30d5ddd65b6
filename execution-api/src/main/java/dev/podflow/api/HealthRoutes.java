package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * Probes and metrics: {@code /healthz} answers while the process runs (liveness), {@code /readyz}
 * only while the database answers (readiness), {@code /metrics} is the Prometheus scrape.
 */
final class HealthRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Readiness answers within this even when the pool would wait longer for a connection. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final PrometheusMeterRegistry registry;

  HealthRoutes(Database database, PrometheusMeterRegistry registry) {
    this.database = database;
    this.registry = registry;
  }

  void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")), Access.OPEN);
    routes.get("/readyz", this::ready, Access.OPEN);
    routes.get(
        "/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()), Access.OPEN);
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
