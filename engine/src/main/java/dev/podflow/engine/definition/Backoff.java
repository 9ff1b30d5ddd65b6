package dev.podflow.engine.definition;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between failed attempts of an activity: after attempt n the task
 * waits about {@code initialSeconds × 2^(n-1)}, capped at {@code maxSeconds}, drawn from the upper
 * half of that window so retries of many tasks spread out.
 */
public record Backoff(double initialSeconds, double maxSeconds) {
  public static final Backoff DEFAULT = new Backoff(1, 300);
  static final double LONGEST_SECONDS = 86_400;

  public Backoff {
    if (!(initialSeconds > 0) || maxSeconds < initialSeconds || maxSeconds > LONGEST_SECONDS) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initialSeconds <= maxSeconds <= "
              + LONGEST_SECONDS
              + ", got "
              + initialSeconds
              + " and "
              + maxSeconds);
    }
  }

  /** The delay before the attempt that follows failed attempt {@code failedAttempt} (1-based). */
  public Duration delayAfter(int failedAttempt) {
    double ceiling =
        Math.min(maxSeconds, initialSeconds * Math.pow(2, Math.max(0, failedAttempt - 1)));
    double jittered = ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2;
    return Duration.ofMillis(Math.round(jittered * 1000));
  }
}
