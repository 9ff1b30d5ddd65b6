package dev.podflow.pod;

import java.time.Duration;

/**
 * Wakes idle slots when new work may exist. A slot reads {@link #generation()} before it tries to
 * claim and waits only if no signal came since, so a NOTIFY that lands between a failed claim and
 * the wait is never lost.
 */
final class WakeSignal {
  private long generation;
  private int idle;
  private boolean stopped;

  synchronized long generation() {
    return generation;
  }

  synchronized void signalAll() {
    generation++;
    notifyAll();
  }

  /**
   * Waits for work: until a signal after {@code seen}, or the timeout; returns early on interrupt.
   */
  synchronized void awaitAfter(long seen, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    idle++;
    try {
      while (generation == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      idle--;
    }
  }

  /** Slots in {@link #awaitAfter}: idle, with nothing claimed and no wake-up seen yet. */
  synchronized int idle() {
    return idle;
  }

  /** Wakes every slot for good: waits and pauses return at once from now on. */
  synchronized void stop() {
    stopped = true;
    signalAll();
  }

  /**
   * A pause wake-ups do not cut short (an error backoff), only {@link #stop}; returns early on
   * interrupt.
   */
  synchronized void pause(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (long left = timeout.toNanos();
          left > 0 && !stopped;
          left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
