package dev.podflow.pod;

import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the outcome of one task. A database that is briefly unreachable must not lose a finished
 * result, so the write is retried for as long as the claim can still be valid (one lease); a
 * refused (stale) claim is final. Used by the slots and by the {@link Completer}. Thread-safe.
 */
final class OutcomeWriter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private final String podId;
  private final Duration lease;
  private final PodMetrics metrics;

  OutcomeWriter(String podId, Duration lease, PodMetrics metrics) {
    this.podId = podId;
    this.lease = lease;
    this.metrics = metrics;
  }

  /** Runs {@code write} until it commits, its claim is refused or lost, or a lease has passed. */
  TaskOutcome write(LeaseKeeper.Running running, Supplier<TaskOutcome> write) {
    return write(running, write, giveUpFromNow());
  }

  /** When writes starting now give up: one lease from now. */
  Instant giveUpFromNow() {
    return Instant.now().plus(lease);
  }

  /**
   * Runs {@code write} until it commits, its claim is refused or lost, or {@code giveUp} has passed
   * (several writes that failed together share one, so the last does not wait for the others'
   * retries before its own start).
   */
  TaskOutcome write(LeaseKeeper.Running running, Supplier<TaskOutcome> write, Instant giveUp) {
    while (true) {
      try {
        return write.get();
      } catch (StaleClaimException e) {
        log.warn("[pod {}] {}", podId, e.getMessage());
        return TaskOutcome.STALE;
      } catch (RuntimeException e) {
        metrics.databaseError("record_outcome");
        if (running.lost() || Instant.now().isAfter(giveUp)) {
          log.error(
              "[pod {}] could not record the outcome of task {} ({}); its lease will expire and it will run again",
              podId,
              running.task.id(),
              e.getMessage());
          return TaskOutcome.STALE;
        }
        log.warn(
            "[pod {}] recording the outcome of task {} failed ({}); retrying",
            podId,
            running.task.id(),
            e.getMessage());
        pause();
      }
    }
  }

  /** Sleeps between attempts; an interrupt (a stopping pod) must not cut the retries short. */
  private static void pause() {
    long until = System.nanoTime() + RETRY_PAUSE.toNanos();
    boolean interrupted = false;
    for (long left = RETRY_PAUSE.toNanos(); left > 0; left = until - System.nanoTime()) {
      try {
        Thread.sleep(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
