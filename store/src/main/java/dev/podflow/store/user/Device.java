package dev.podflow.store.user;

import java.time.Instant;

/**
 * A device a user receives pushes on ({@code device_tokens}).
 *
 * @param token the FCM registration token
 * @param createdAt when the token was first registered
 * @param retiredAt when FCM reported the token dead, so nothing is sent to it; null while active
 * @param retiredReason what FCM answered then; null while active
 * @param lastSentAt the latest push sent to it; null before the first
 */
public record Device(
    String token,
    String platform,
    Instant createdAt,
    Instant retiredAt,
    String retiredReason,
    Instant lastSentAt) {

  /** A device as registering it left it, and whether its token was new. */
  public record Registered(Device device, boolean created) {}
}
