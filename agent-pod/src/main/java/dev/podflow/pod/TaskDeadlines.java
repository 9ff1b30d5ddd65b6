package dev.podflow.pod;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces activities' {@code timeoutSeconds}: a slot arms a deadline before it runs a task, and a
 * task still running when it passes is interrupted; the slot then records a failed attempt.
 */
final class TaskDeadlines implements AutoCloseable {
  private final ScheduledExecutorService scheduler;

  TaskDeadlines(String podId) {
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("podflow-deadlines-" + podId).factory());
  }

  /** Arms a deadline for the calling thread's task. */
  Deadline arm(Duration timeout) {
    Deadline deadline = new Deadline(Thread.currentThread(), timeout);
    deadline.future =
        scheduler.schedule(deadline::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return deadline;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** One task's deadline; disarm it as soon as the task's run ends. */
  static final class Deadline {
    private final Thread thread;
    private final Duration timeout;
    private ScheduledFuture<?> future;
    private boolean armed = true;
    private volatile boolean expired;

    private Deadline(Thread thread, Duration timeout) {
      this.thread = thread;
      this.timeout = timeout;
    }

    private synchronized void expire() {
      if (!armed) return; // the task ended just before: the interrupt must not hit the next one
      expired = true;
      thread.interrupt();
    }

    synchronized void disarm() {
      armed = false;
      if (future != null) future.cancel(false);
    }

    boolean expired() {
      return expired;
    }

    Duration timeout() {
      return timeout;
    }
  }
}
