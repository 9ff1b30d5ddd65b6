package dev.podflow.pod;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action on its own daemon thread at a fixed delay until stopped; the pod's background
 * loops use it.
 */
final class PeriodicTask {
  /** The longest {@link #stop()} waits for a run in progress. */
  static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final ScheduledExecutorService scheduler;

  private PeriodicTask(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** The action must not throw: a throwing action would silently stop being scheduled. */
  static PeriodicTask start(
      String threadName, Duration firstDelay, Duration interval, Runnable action) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name(threadName).factory());
    scheduler.scheduleWithFixedDelay(
        action, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return new PeriodicTask(scheduler);
  }

  /**
   * Schedules no further run and waits up to {@link #STOP_WAIT} for the one in progress, so that
   * whoever closes the pool next does not pull the connection from under it; a run still going
   * after that is interrupted.
   */
  void stop() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
