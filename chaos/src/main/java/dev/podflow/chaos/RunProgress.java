package dev.podflow.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The run's instances as the database shows them while it goes: a progress line every 10 s (starts,
 * instances per status, injuries made, live pods) while the chaos lasts and while the pods drain,
 * and the check that the pods have drained the work. A database that does not answer is reported in
 * the line, never fatal.
 */
final class RunProgress {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private final Jdbi jdbi;
  private final Workload workload;
  private final PodFleet fleet;
  private final Injuries injuries;
  private final Consumer<String> say;

  RunProgress(
      Jdbi jdbi, Workload workload, PodFleet fleet, Injuries injuries, Consumer<String> say) {
    this.jdbi = jdbi;
    this.workload = workload;
    this.fleet = fleet;
    this.injuries = injuries;
    this.say = say;
  }

  /** Waits until {@code endNanos} ({@link System#nanoTime()}) or an abort, reporting progress. */
  void awaitEnd(long endNanos, BooleanSupplier aborted) throws InterruptedException {
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (System.nanoTime() < endNanos && !aborted.getAsBoolean()) {
      Thread.sleep(Math.min(250, Math.max(1, (endNanos - System.nanoTime()) / 1_000_000)));
      if (System.nanoTime() >= nextProgress) {
        report("progress");
        nextProgress += PROGRESS_EVERY.toNanos();
      }
    }
  }

  /** Waits until the run has no unfinished instance or task; false on timeout. */
  boolean awaitDrained(Duration timeout) throws InterruptedException {
    long giveUp = System.nanoTime() + timeout.toNanos();
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (true) {
      try {
        long open =
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            """
                            SELECT (SELECT count(*) FROM bpm_proc_inst
                                    WHERE proc_def_id IN (:work, :poison)
                                      AND status IN ('RUNNING', 'WAITING'))
                                 + (SELECT count(*) FROM todolist t
                                    JOIN bpm_proc_inst i ON i.id = t.proc_inst_id
                                    WHERE i.proc_def_id IN (:work, :poison)
                                      AND t.status IN ('PENDING', 'IN_PROGRESS', 'FAILED',
                                                       'WAITING'))""")
                        .bind("work", workload.workDefinition())
                        .bind("poison", workload.poisonDefinition())
                        .mapTo(Long.class)
                        .one());
        if (open == 0) {
          say.accept("drained");
          return true;
        }
      } catch (RuntimeException e) {
        say.accept("drain check failed: " + e.getMessage());
      }
      if (System.nanoTime() > giveUp) {
        say.accept("not drained after " + timeout.toSeconds() + "s");
        return false;
      }
      if (System.nanoTime() >= nextProgress) {
        report("drain");
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      Thread.sleep(250);
    }
  }

  private void report(String phase) {
    String counts;
    try {
      Map<String, Long> byStatus =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT status, count(*) FROM bpm_proc_inst"
                              + " WHERE proc_def_id IN (:work, :poison) GROUP BY status")
                      .bind("work", workload.workDefinition())
                      .bind("poison", workload.poisonDefinition())
                      .setQueryTimeout(5)
                      .reduceResultSet(
                          new LinkedHashMap<String, Long>(),
                          (map, rs, ctx) -> {
                            map.put(rs.getString(1), rs.getLong(2));
                            return map;
                          }));
      counts =
          byStatus.entrySet().stream()
              .map(e -> e.getKey().toLowerCase() + "=" + e.getValue())
              .collect(Collectors.joining(" "));
    } catch (RuntimeException e) {
      counts = "database unavailable";
    }
    say.accept(
        phase
            + ": acked="
            + workload.ackedCount()
            + " retrying_starts="
            + workload.inFlight()
            + " "
            + counts
            + " | kills="
            + fleet.kills()
            + " terminations="
            + injuries.terminations()
            + " restarts="
            + injuries.restarts()
            + " pods="
            + fleet.liveIds().size());
  }
}
