package dev.podflow.pod;

import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.cleanup.TaskCleanup;
import dev.podflow.store.cleanup.TaskCleanupDao;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what cancelled tasks left to undo outside ({@code task_cleanups}, queued by the
 * cancel): every {@link #INTERVAL} it claims a few due cleanups of any tenant, hands each to its
 * orchestrator's {@link Orchestrator#cleanUp}, and records it done, or tries it again after a delay
 * that doubles from 2 s to 5 min, giving up after {@value #MAX_ATTEMPTS} attempts (its {@code
 * last_error} says why). A cleanup of an orchestrator this pod does not run waits for a pod that
 * does. Runs in every pod; the claim skips rows other pods hold.
 */
final class CleanupWorker {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final int BATCH = 8;
  static final int MAX_ATTEMPTS = 12;
  private static final int LEASE_SECONDS = 120;

  private static final Logger log = LoggerFactory.getLogger(CleanupWorker.class);

  private final Jdbi jdbi;
  private final OrchestratorRegistry orchestrators;
  private final String podId;
  private PeriodicTask loop;

  CleanupWorker(Jdbi jdbi, OrchestratorRegistry orchestrators, String podId) {
    this.jdbi = jdbi;
    this.orchestrators = orchestrators;
    this.podId = podId;
  }

  void start() {
    loop = PeriodicTask.start("podflow-cleanups-" + podId, INTERVAL, INTERVAL, this::runSafely);
  }

  void stop() {
    if (loop != null) loop.stop();
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("[pod {}] cleanups failed: {}", podId, e.toString());
    }
  }

  /** One pass; how many cleanups it carried out. */
  int runOnce() {
    List<TaskCleanup> due =
        jdbi.withExtension(TaskCleanupDao.class, dao -> dao.cleanupClaim(BATCH, LEASE_SECONDS));
    int done = 0;
    for (TaskCleanup cleanup : due) {
      Optional<Orchestrator> orchestrator = orchestrators.find(cleanup.orchestrator());
      if (orchestrator.isEmpty()) {
        settle(cleanup, "no orchestrator '" + cleanup.orchestrator() + "' in pod " + podId, true);
        continue;
      }
      try {
        orchestrator.get().cleanUp(cleanup.tenantId(), cleanup.payload());
        jdbi.useExtension(TaskCleanupDao.class, dao -> dao.cleanupDone(cleanup.id()));
        log.info(
            "[pod {}] cleaned up after cancelled task {} ({})",
            podId,
            cleanup.taskId(),
            cleanup.orchestrator());
        done++;
      } catch (Exception e) {
        settle(cleanup, e.getMessage() == null ? e.toString() : e.getMessage(), false);
      }
    }
    return done;
  }

  /** Tries again later, or gives up after {@value #MAX_ATTEMPTS}; a missing plug-in waits. */
  private void settle(TaskCleanup cleanup, String error, boolean missingOrchestrator) {
    if (!missingOrchestrator && cleanup.attempts() >= MAX_ATTEMPTS) {
      log.warn(
          "[pod {}] gave up cleaning up after cancelled task {}: {}",
          podId,
          cleanup.taskId(),
          error);
      jdbi.useExtension(TaskCleanupDao.class, dao -> dao.cleanupGiveUp(cleanup.id(), error));
      return;
    }
    int delay = (int) Math.min(300, 2L << Math.min(cleanup.attempts(), 10));
    log.info(
        "[pod {}] cleanup after cancelled task {} failed (attempt {}), again in {} s: {}",
        podId,
        cleanup.taskId(),
        cleanup.attempts(),
        delay,
        error);
    jdbi.useExtension(TaskCleanupDao.class, dao -> dao.cleanupRetry(cleanup.id(), error, delay));
  }
}
