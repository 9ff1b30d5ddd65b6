package dev.podflow.pod;

import dev.podflow.store.Database;
import dev.podflow.store.maintenance.MaintenanceDao;
import dev.podflow.store.maintenance.MaintenanceDao.QueueGarbage;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queue table free of dead rows: a claim turns a task's entry in the claim index into a
 * dead one, and the claim's index scan starts at the most urgent end, exactly where those entries
 * pile up, so until a VACUUM removes them every claim steps over all of them (measured: a claim
 * took twice as long after 100,000 tasks had gone through). Autovacuum reaches {@code todolist}
 * only after a fifth of it is dead, and may be off. Once per {@link
 * PodConfig#QUEUE_VACUUM_CHECK_INTERVAL} across the cluster, a pod reads the table's dead-row count
 * and VACUUMs it when the count reaches {@link PodConfig#queueVacuumDeadRows()}. A role that may
 * not VACUUM the table turns the pass off, with one warning. A pod's pool acts as {@code
 * podflow_pod}, which owns nothing: the check and the VACUUM run as the login ({@link
 * Database#asOwner}).
 */
final class QueueVacuum {
  private static final Logger log = LoggerFactory.getLogger(QueueVacuum.class);

  private final Database database;
  private final ClusterSchedule schedule;
  private final long threshold;
  private final PodMetrics metrics;
  private final String podId;
  private volatile boolean allowed = true;
  private PeriodicTask loop;

  QueueVacuum(Database database, ClusterSchedule schedule, PodConfig config, PodMetrics metrics) {
    this.database = database;
    this.schedule = schedule;
    this.threshold = config.queueVacuumDeadRows();
    this.metrics = metrics;
    this.podId = config.podId();
  }

  void start() {
    if (threshold == 0) {
      log.info("[pod {}] queue vacuum is off: todolist is left to autovacuum", podId);
      return;
    }
    Duration firstDelay =
        Duration.ofMillis(
            ThreadLocalRandom.current().nextLong(PodConfig.QUEUE_VACUUM_CHECK_INTERVAL.toMillis()));
    loop =
        PeriodicTask.start(
            "podflow-queue-vacuum-" + podId,
            firstDelay,
            PodConfig.QUEUE_VACUUM_CHECK_INTERVAL,
            this::runSafely);
  }

  void stop() {
    if (loop != null) loop.stop();
  }

  /** One check; returns true when it vacuumed the table. */
  boolean runOnce() {
    if (!allowed) return false;
    QueueGarbage garbage =
        database.asOwner(h -> h.attach(MaintenanceDao.class).maintenanceQueueDeadRows());
    if (!garbage.mayVacuum()) {
      allowed = false;
      log.warn(
          "[pod {}] queue vacuum is off: the database role may not VACUUM todolist (it needs to"
              + " own the table); tune autovacuum for todolist instead, or set"
              + " PODFLOW_QUEUE_VACUUM_DEAD_ROWS=0 to silence this",
          podId);
      return false;
    }
    if (garbage.deadRows() < threshold) return false;
    long started = System.nanoTime();
    database.asOwner(
        h -> {
          h.attach(MaintenanceDao.class).maintenanceVacuumQueue();
          return null;
        });
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    metrics.queueVacuumed(took);
    log.debug(
        "[pod {}] vacuumed todolist ({} dead rows) in {} ms",
        podId,
        garbage.deadRows(),
        took.toMillis());
    return true;
  }

  private void runSafely() {
    try {
      if (!allowed || !schedule.claim("queue-vacuum", PodConfig.QUEUE_VACUUM_CHECK_INTERVAL))
        return;
      runOnce();
    } catch (RuntimeException e) {
      metrics.databaseError("queue_vacuum");
      log.warn("[pod {}] queue vacuum failed: {}", podId, e.getMessage());
    }
  }
}
