package dev.podflow.notifier;

import dev.podflow.store.Environment;
import java.time.Duration;

/**
 * How one notifier works: its id (in {@code claimed_by}), how many notifications and deliveries it
 * claims at a time, how many attempts a delivery gets, how long a claim is held, the backoff
 * between attempts and the fallback poll. Validated at construction. Immutable.
 */
public record NotifierSettings(
    String notifierId,
    int batchSize,
    int maxAttempts,
    Duration lease,
    Backoff backoff,
    Duration pollInterval) {
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  public NotifierSettings {
    if (notifierId == null || notifierId.isBlank() || notifierId.length() > 200) {
      throw new IllegalArgumentException("a notifier id is 1 to 200 characters, not " + notifierId);
    }
    if (batchSize < 1 || batchSize > 500) {
      throw new IllegalArgumentException("the batch size is 1 to 500, not " + batchSize);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be 1 or more, not " + maxAttempts);
    }
    if (lease.toMillis() < 100 || pollInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "the lease must be 100 ms or more and the poll 10 ms or more, not "
              + lease
              + " and "
              + pollInterval);
    }
  }

  public static NotifierSettings defaults(String notifierId) {
    return new NotifierSettings(
        notifierId,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_LEASE,
        Backoff.defaults(),
        DEFAULT_POLL_INTERVAL);
  }

  /**
   * {@code PODFLOW_NOTIFIER_ID} (else {@code defaultId}), {@code PODFLOW_NOTIFIER_BATCH_SIZE},
   * {@code PODFLOW_NOTIFIER_MAX_ATTEMPTS}, {@code PODFLOW_NOTIFIER_LEASE_SECONDS}, {@code
   * PODFLOW_NOTIFIER_BACKOFF_MS} (the first wait), {@code PODFLOW_NOTIFIER_MAX_BACKOFF_SECONDS},
   * {@code PODFLOW_NOTIFIER_POLL_MS}.
   */
  public static NotifierSettings fromEnvironment(Environment env, String defaultId) {
    String id = env.text("PODFLOW_NOTIFIER_ID");
    Duration maxBackoff =
        env.seconds("PODFLOW_NOTIFIER_MAX_BACKOFF_SECONDS", Backoff.DEFAULT_MAX, 1, 24 * 3600);
    int initialMs =
        env.integer(
            "PODFLOW_NOTIFIER_BACKOFF_MS",
            (int) Backoff.DEFAULT_INITIAL.toMillis(),
            1,
            (int) maxBackoff.toMillis());
    return new NotifierSettings(
        id == null ? defaultId : id,
        env.integer("PODFLOW_NOTIFIER_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, 500),
        env.integer("PODFLOW_NOTIFIER_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 100),
        env.seconds("PODFLOW_NOTIFIER_LEASE_SECONDS", DEFAULT_LEASE, 1, 3600),
        new Backoff(Duration.ofMillis(initialMs), maxBackoff),
        Duration.ofMillis(
            env.integer(
                "PODFLOW_NOTIFIER_POLL_MS", (int) DEFAULT_POLL_INTERVAL.toMillis(), 10, 600_000)));
  }

  public NotifierSettings withBatchSize(int batchSize) {
    return new NotifierSettings(notifierId, batchSize, maxAttempts, lease, backoff, pollInterval);
  }

  public NotifierSettings withMaxAttempts(int maxAttempts) {
    return new NotifierSettings(notifierId, batchSize, maxAttempts, lease, backoff, pollInterval);
  }

  public NotifierSettings withLease(Duration lease) {
    return new NotifierSettings(notifierId, batchSize, maxAttempts, lease, backoff, pollInterval);
  }

  public NotifierSettings withBackoff(Backoff backoff) {
    return new NotifierSettings(notifierId, batchSize, maxAttempts, lease, backoff, pollInterval);
  }
}
