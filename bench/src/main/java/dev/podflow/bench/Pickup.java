package dev.podflow.bench;

import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.access.DatabaseRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pick-up latency: one-step processes started through the HTTP API at a steady rate; latency = the
 * task's {@code started_at} (its claim) − the instance's {@code created_at} (the API's insert),
 * both on the database's clock. With LISTEN/NOTIFY, and poll-only (the default 2 s poll, jittered
 * ±50 %). The API and {@code p} pods × 1 slot run in this JVM, each pod with its own pool.
 */
final class Pickup {
  /** Latency percentiles in milliseconds and how many processes were measured. */
  record Result(
      double p50, double p95, double p99, long processes, long failed, String firstFailure) {}

  static final int WARM_UP_SECONDS = 3;

  private Pickup() {}

  static Result run(BenchDatabase bench, int pods, boolean listen, int rate, int seconds)
      throws InterruptedException {
    DatabaseConfig config = bench.freshMigrated();
    List<AgentPod> running = new ArrayList<>();
    List<Database> pools = new ArrayList<>();
    try (Database apiDb = Database.connect(config.withPool(10, "podflow-bench-api"))) {
      Seed.definitions(apiDb);
      try (ExecutionApi api =
          ExecutionApi.start(
              apiDb,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              ApiSettings.onPort(0))) {
        for (int i = 0; i < pods; i++) {
          Database pool =
              Database.connect(
                  config.withRole(DatabaseRole.POD).withPool(3, "podflow-bench-pod-" + i));
          pools.add(pool);
          running.add(
              new AgentPod(
                      PodConfig.defaults("bench-pod-" + i).withSlots(1).withListen(listen),
                      pool,
                      OrchestratorRegistry.discover(),
                      new SimpleMeterRegistry())
                  .start());
        }
        Http http = new Http(api.port(), Seed.apiKey(apiDb));
        // Warm-up at the measured rate (3 s, or as long as the run when shorter), not measured:
        // with less, the run's first seconds found the API's and pods' code still being
        // JIT-compiled, and starts queued for tens of seconds behind it (HTTP timeouts at 500/s).
        http.steady(Seed.NOOP, rate, Math.min(WARM_UP_SECONDS, seconds));
        http.failed.set(0);
        http.firstFailure.set(null);
        PodflowDrain.awaitDrained(apiDb, 0, Duration.ofMinutes(2));
        apiDb.jdbi().useHandle(h -> h.execute("TRUNCATE events, todolist, bpm_proc_inst CASCADE"));
        http.steady(Seed.NOOP, rate, seconds);
        PodflowDrain.awaitDrained(apiDb, 0, Duration.ofMinutes(5));
        return apiDb
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,"
                                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,"
                                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,"
                                + " count(*) AS processes"
                                + " FROM (SELECT extract(epoch FROM t.started_at - i.created_at) * 1000 AS ms"
                                + " FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id) AS l")
                        .map(
                            (rs, ctx) ->
                                new Result(
                                    rs.getDouble("p50"),
                                    rs.getDouble("p95"),
                                    rs.getDouble("p99"),
                                    rs.getLong("processes"),
                                    http.failed.get(),
                                    http.firstFailure.get()))
                        .one());
      } finally {
        running.forEach(AgentPod::stop);
        pools.forEach(Database::close);
      }
    }
  }
}
