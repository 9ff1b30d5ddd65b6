package dev.podflow.bench;

import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.access.DatabaseRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Queue drain: {@code n} no-op tasks (one per instance) pre-inserted, drained by {@code p} pods × 1
 * slot (or, to compare with a peer's one scheduler of p threads, 1 pod × p slots). A pod is either
 * an {@link AgentPod} in this JVM with its own pool and LISTEN session, or a {@code Podflow pod}
 * process started as {@code ./podflow pod} starts one. The rate is measured on the database's
 * clock: tasks / (last completion − first claim).
 */
final class PodflowDrain {
  /** What a drain measured, and how many warm-up rounds came before it. */
  record Result(
      int tasks, double seconds, long notDone, int warmUpRounds, List<Procs.Usage> processes) {
    double perSecond() {
      return tasks / seconds;
    }
  }

  /** The pods' fallback poll: wake-ups start the drains, and a poll must not start one early. */
  private static final Duration IDLE_POLL = Duration.ofMinutes(10);

  private PodflowDrain() {}

  /**
   * The drain by pods in this JVM, each with its own pool and LISTEN session; a warm-up round is
   * {@code warmUp} tasks (or a tenth of N, if more) for their one JVM. The pods start first and are
   * warmed up ({@link #warmThenMeasure}); then N tasks are queued at once and timed, as for pod
   * processes: starting a pod takes longer than a drain of a few thousand tasks, and pods that
   * started inside the measured run would count their start against the drain.
   */
  static Result inProcess(BenchDatabase bench, int tasks, int warmUp, int pods, int slots)
      throws Exception {
    DatabaseConfig config = bench.freshMigrated();
    List<AgentPod> running = new ArrayList<>();
    List<Database> pools = new ArrayList<>();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-seed"))) {
      Seed.definitions(db);
      int round = Math.max(tasks / 10, warmUp);
      Seed.noopInstances(db, round, "now()");
      for (int i = 0; i < pods; i++) {
        Database pool =
            Database.connect(
                config.withRole(DatabaseRole.POD).withPool(slots + 2, "podflow-bench-pod-" + i));
        pools.add(pool);
        PodConfig pod =
            PodConfig.defaults("bench-pod-" + i).withSlots(slots).withPollInterval(IDLE_POLL);
        running.add(
            new AgentPod(pod, pool, OrchestratorRegistry.discover(), new SimpleMeterRegistry())
                .start());
      }
      return warmThenMeasure(bench, db, round, tasks, List::of);
    } finally {
      running.forEach(AgentPod::stop);
      pools.forEach(Database::close);
    }
  }

  /**
   * The drain by pod processes, measured like the in-process drains. Each process compiles its own
   * hot path, so a warm-up round gives each process {@code warmUp} tasks, as much as one round
   * gives the in-process pods' one JVM.
   */
  static Result separateProcesses(BenchDatabase bench, int tasks, int warmUp, int pods, Path logDir)
      throws Exception {
    DatabaseConfig config = bench.freshMigrated();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-seed"))) {
      Seed.definitions(db);
      int round = Math.max(tasks / 10, warmUp * pods);
      Seed.noopInstances(db, round, "now()");
      Map<String, String> env = Map.of("PODFLOW_POLL_MS", String.valueOf(IDLE_POLL.toMillis()));
      try (Procs.Fleet fleet = Procs.Fleet.pods(bench.libpqUrl(), pods, logDir, "drain-pod", env)) {
        return warmThenMeasure(bench, db, round, tasks, fleet::usage);
      }
    }
  }

  /**
   * Warms the pods ({@link WarmUp}) in rounds of {@code round} tasks, the first of them queued
   * before the pods started (a pod claims when it starts; that round also times their start). Then
   * queues {@code tasks} at once (with the wake-up a start sends) and times them: the measured run
   * finds the pods' hot path compiled, as in pods that have been up a while, and every pod
   * listening. The pods poll only every {@link #IDLE_POLL}, so none claims before a wake-up.
   */
  private static Result warmThenMeasure(
      BenchDatabase bench, Database db, int round, int tasks, Supplier<List<Procs.Usage>> usage)
      throws Exception {
    boolean[] started = {false};
    int rounds =
        WarmUp.untilSteady(
            () -> {
              if (started[0]) return round / timedRun(bench, db, round);
              started[0] = true;
              awaitDrained(db, round, Duration.ofMinutes(30));
              return round / span(db, 0);
            });
    double seconds = timedRun(bench, db, tasks);
    return new Result(tasks, seconds, notDone(db), rounds, usage.get());
  }

  /**
   * Queues {@code tasks}, checkpoints (so no checkpoint lands halfway), wakes the pods and waits
   * until they are done; the seconds from the first claim to the last completion.
   */
  private static double timedRun(BenchDatabase bench, Database db, int tasks) {
    long after = lastTaskId(db);
    Seed.noopInstances(db, tasks, "now()");
    bench.checkpoint();
    Seed.wakePods(db);
    awaitDrained(db, tasks, Duration.ofMinutes(30));
    return span(db, after);
  }

  /**
   * Waits until no task is due or running. Asks whether one exists (one index probe each), not how
   * many are left: counting the open rows every 100 ms cost PostgreSQL more CPU than a sixth of the
   * pods' own work, which the peers' drains (counted in memory) were spared. The first probe is the
   * claim's scan (ORDER BY … LIMIT 1, which an EXISTS would drop), so it uses the claim index: with
   * the table's statistics taken before the drain (every row due), PostgreSQL otherwise scans the
   * heap from its start, over every finished task (6 to 9 ms a probe late in a 100,000-task drain).
   */
  static void awaitDrained(Database db, int tasks, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      boolean open =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT (SELECT id FROM todolist WHERE status IN ('PENDING', 'FAILED')"
                                  + " ORDER BY priority, run_after, id LIMIT 1) IS NOT NULL"
                                  + " OR EXISTS (SELECT 1 FROM todolist WHERE status = 'IN_PROGRESS')")
                          .mapTo(Boolean.class)
                          .one());
      if (!open) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            notDone(db) + " of " + tasks + " tasks still not done after " + patience);
      }
      sleep(100);
    }
  }

  /**
   * Seconds from the first claim to the last completion of the tasks with an id above {@code
   * afterId}, on the database's clock.
   */
  static double span(Database db, long afterId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM todolist"
                            + " WHERE status = 'DONE' AND started_at > now() - interval '1 day'"
                            + " AND id > :afterId")
                    .bind("afterId", afterId)
                    .mapTo(Double.class)
                    .one());
  }

  private static long lastTaskId(Database db) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT coalesce(max(id), 0) FROM todolist").mapTo(Long.class).one());
  }

  static long notDone(Database db) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM todolist WHERE status <> 'DONE'")
                    .mapTo(Long.class)
                    .one());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
