package dev.podflow.pod;

import dev.podflow.store.maintenance.MaintenanceDao;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes instances that finished longer than the retention ago, with their tasks, events and
 * notifications, in small batches so no transaction holds many locks. Runs in every pod, once per
 * interval across the cluster.
 *
 * <p>It never touches {@code audit_log} (V14): who changed definitions, agents and keys is kept on
 * its own retention, until an operator deletes it, not with the instances ({@code MaintenanceTest}
 * checks that a pass leaves it).
 */
final class Pruner {
  static final int BATCH = 500;

  /** Bounds one pass; a backlog is worked off over the following passes. */
  static final int MAX_BATCHES_PER_PASS = 20;

  private static final Logger log = LoggerFactory.getLogger(Pruner.class);

  private final Jdbi jdbi;
  private final ClusterSchedule schedule;
  private final Duration retention;
  private final Duration interval;
  private final PodMetrics metrics;
  private final String podId;
  private PeriodicTask loop;

  Pruner(Jdbi jdbi, ClusterSchedule schedule, PodConfig config, PodMetrics metrics) {
    this.jdbi = jdbi;
    this.schedule = schedule;
    this.retention = config.retention();
    this.interval = config.pruneInterval();
    this.metrics = metrics;
    this.podId = config.podId();
  }

  void start() {
    if (retention.isZero()) {
      log.info("[pod {}] retention is 0: finished instances are kept forever", podId);
      return;
    }
    Duration firstDelay =
        Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis())));
    loop = PeriodicTask.start("podflow-pruner-" + podId, firstDelay, interval, this::runSafely);
  }

  void stop() {
    if (loop != null) loop.stop();
  }

  /** One pass; returns how many finished instances were deleted. */
  int runOnce() {
    int pruned = 0;
    for (int i = 0; i < MAX_BATCHES_PER_PASS; i++) {
      int batch =
          jdbi.inTransaction(
              h ->
                  h.attach(MaintenanceDao.class)
                      .maintenancePruneFinishedInstances(retention.toSeconds(), BATCH));
      pruned += batch;
      if (batch < BATCH) break;
    }
    return pruned;
  }

  private void runSafely() {
    try {
      if (!schedule.claim("pruner", interval)) return;
      int pruned = runOnce();
      if (pruned > 0) {
        metrics.pruned(pruned);
        log.info("[pod {}] pruned {} instance(s) finished over {} ago", podId, pruned, retention);
      }
    } catch (RuntimeException e) {
      metrics.databaseError("prune");
      log.warn("[pod {}] pruning failed: {}", podId, e.getMessage());
    }
  }
}
