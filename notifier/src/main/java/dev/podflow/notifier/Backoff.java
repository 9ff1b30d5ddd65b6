package dev.podflow.notifier;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a delivery waits after a transient failure: {@code initial} doubled after every attempt
 * up to {@code max}, never less than what the channel asked for (FCM's {@code Retry-After}) unless
 * that exceeds {@code max}, and jittered down to half so that deliveries failed together do not
 * come back together. Immutable; validated here.
 */
public record Backoff(Duration initial, Duration max) {
  public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(10);

  public Backoff {
    if (initial.toMillis() < 1) {
      throw new IllegalArgumentException(
          "the initial backoff must be 1 ms or more, not " + initial);
    }
    if (initial.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "the initial backoff " + initial + " exceeds the maximum " + max);
    }
  }

  public static Backoff defaults() {
    return new Backoff(DEFAULT_INITIAL, DEFAULT_MAX);
  }

  /**
   * The wait after attempt {@code attempt} (1 for the first) failed: from half to all of {@code
   * initial × 2^(attempt-1)}, raised to {@code retryAfter} (null: none), at most {@code max}.
   */
  public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
    long cap = max.toMillis();
    int doublings = Math.min(Math.max(attempt - 1, 0), 40);
    long full = initial.toMillis() > (cap >> doublings) ? cap : initial.toMillis() << doublings;
    long jittered = full / 2 + random.nextLong(full / 2 + 1);
    if (retryAfter != null) jittered = Math.max(jittered, Math.min(retryAfter.toMillis(), cap));
    return Duration.ofMillis(Math.min(jittered, cap));
  }
}
