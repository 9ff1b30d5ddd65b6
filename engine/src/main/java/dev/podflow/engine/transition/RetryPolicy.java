package dev.podflow.engine.transition;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits about {@code initial × 2^(n-1)}, capped at
 * {@code max}, drawn from the upper half of that window so retries of many tasks spread out.
 */
public record RetryPolicy(Duration initial, Duration max) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public RetryPolicy {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The delay before the attempt after {@code failedAttempt} (1-based). */
  public Duration delayAfter(int failedAttempt) {
    double ceiling =
        Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, Math.max(0, failedAttempt - 1)));
    double jittered = ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2;
    return Duration.ofMillis(Math.round(jittered));
  }
}
