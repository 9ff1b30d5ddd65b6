package dev.podflow.notifier;

import java.time.Duration;

/**
 * What a channel made of one delivery. Immutable.
 *
 * @param providerId the channel's id of what it sent (FCM's message name), for {@link Kind#SENT}
 * @param error why it was not sent, for the others; never a secret
 * @param retryAfter the least wait the channel asked for before a retry, or null
 */
public record Outcome(Kind kind, String providerId, String error, Duration retryAfter) {

  /** How the delivery is recorded. */
  public enum Kind {
    /** Delivered to the channel: SENT, never claimed again. */
    SENT,
    /** A transient failure: PENDING again after a backoff, FAILED after the last attempt. */
    RETRY,
    /** The address is gone (a dead device token): RETIRED, and the token retired. */
    RETIRE,
    /** No retry can help (a malformed message): FAILED. */
    FAIL
  }

  public static Outcome sent(String providerId) {
    return new Outcome(Kind.SENT, providerId, null, null);
  }

  public static Outcome retry(String error, Duration retryAfter) {
    return new Outcome(Kind.RETRY, null, error, retryAfter);
  }

  public static Outcome retire(String reason) {
    return new Outcome(Kind.RETIRE, null, reason, null);
  }

  public static Outcome fail(String error) {
    return new Outcome(Kind.FAIL, null, error, null);
  }
}
