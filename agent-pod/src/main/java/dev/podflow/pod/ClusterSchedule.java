package dev.podflow.pod;

import dev.podflow.store.maintenance.MaintenanceDao;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * Lets a maintenance pass that every pod schedules run once per interval across the cluster: the
 * first pod to ask after the interval gets the run, the others skip it. Every pod asks every
 * interval, so the asks grow with the pods: an ask reads first and writes (a row lock, a commit
 * that waits for the WAL flush) only when the pass is due.
 */
final class ClusterSchedule {
  private final Jdbi jdbi;
  private final String podId;

  ClusterSchedule(Jdbi jdbi, String podId) {
    this.jdbi = jdbi;
    this.podId = podId;
  }

  /** True when this pod should run {@code pass} now. */
  boolean claim(String pass, Duration every) {
    // A little under the interval, so the pod whose turn it is does not miss it by a few ms of
    // drift.
    double seconds = every.toMillis() * 0.9 / 1000.0;
    return jdbi.withExtension(
        MaintenanceDao.class,
        dao ->
            dao.maintenanceRunIsDue(pass, seconds)
                && dao.maintenanceRunClaim(pass, seconds, podId).isPresent());
  }
}
