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

  void stop() {
    scheduler.shutdownNow();
  }
}
