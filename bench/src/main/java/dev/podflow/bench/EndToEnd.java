package dev.podflow.bench;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * End to end: 3-step no-op processes started over HTTP (8 concurrent callers, as fast as the API
 * answers) against a {@code ./podflow api} process and {@code p} {@code ./podflow pod} processes ×
 * 1 slot; completed processes per second (first insert → last completion, database clock), CPU per
 * 1,000 tasks of the pods, the API and PostgreSQL (from /proc), and each pod's resident memory at
 * the end. A warm-up of a tenth as many processes runs first and is not counted.
 */
final class EndToEnd {
  record Result(
      long processes,
      double perSecond,
      double podCpuPer1k,
      double apiCpuPer1k,
      double postgresCpuPer1k,
      double rssMiBPerPod,
      long notCompleted) {}

  private EndToEnd() {}

  static Result run(BenchDatabase bench, int processes, int pods, Path logDir) throws Exception {
    DatabaseConfig config = bench.freshMigrated();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-e2e"))) {
      Seed.definitions(db);
      int port = Http.freePort();
      try (Procs.Fleet api = new Procs.Fleet();
          Procs.Fleet fleet =
              Procs.Fleet.pods(bench.libpqUrl(), pods, logDir, "e2e-pod", Map.of())) {
        api.start(
            "e2e-api",
            "api",
            Map.of("DATABASE_URL", bench.libpqUrl(), "PODFLOW_HTTP_PORT", Integer.toString(port)),
            logDir);
        Http.awaitReady(port, Duration.ofSeconds(60));
        Http http = new Http(port, Seed.apiKey(db));
        http.asFastAsAnswered(Seed.THREE_STEPS, Math.max(10, processes / 10), 8);
        awaitCompleted(db);
        db.jdbi().useHandle(h -> h.execute("TRUNCATE events, todolist, bpm_proc_inst CASCADE"));
        double podCpu0 = cpu(fleet.usage());
        double apiCpu0 = cpu(api.usage());
        double pgCpu0 = Procs.postgresCpuSeconds();
        long created = http.asFastAsAnswered(Seed.THREE_STEPS, processes, 8);
        awaitCompleted(db);
        double podCpu = cpu(fleet.usage()) - podCpu0;
        double apiCpu = cpu(api.usage()) - apiCpu0;
        double pgCpu = Procs.postgresCpuSeconds() - pgCpu0;
        double rss =
            fleet.usage().stream().mapToLong(Procs.Usage::rssBytes).average().orElse(0)
                / (1024.0 * 1024);
        double seconds =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT extract(epoch FROM max(finished_at) - min(created_at))"
                                    + " FROM bpm_proc_inst")
                            .mapTo(Double.class)
                            .one());
        long notCompleted =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT count(*) FROM bpm_proc_inst WHERE status <> 'COMPLETED'")
                            .mapTo(Long.class)
                            .one());
        double tasks = created * 3 / 1000.0;
        return new Result(
            created,
            created / seconds,
            podCpu / tasks,
            apiCpu / tasks,
            pgCpu / tasks,
            rss,
            notCompleted);
      }
    }
  }

  private static double cpu(List<Procs.Usage> usage) {
    return usage.stream().mapToDouble(Procs.Usage::cpuSeconds).sum();
  }

  private static void awaitCompleted(Database db) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      long open =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT count(*) FROM bpm_proc_inst WHERE status IN ('RUNNING', 'WAITING')")
                          .mapTo(Long.class)
                          .one());
      if (open == 0) return;
      PodflowDrain.sleep(100);
    }
    throw new IllegalStateException("processes still running after 10 minutes");
  }
}
