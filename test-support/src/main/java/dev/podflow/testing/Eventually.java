package dev.podflow.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition under a hard timeout, polling briefly; never a bare sleep. */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
