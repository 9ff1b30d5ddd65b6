package dev.podflow.store.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery a notifier claimed ({@code notification_deliveries}, V27), with what its channel needs
 * of the notification. Never the notification's body or payload: those stay in the API. Immutable.
 *
 * @param channel {@code fcm}, {@code email} or {@code log}
 * @param address the device token (fcm), the email address (email) or the recipient (log)
 * @param attempt this claim's attempt number: the fence of every write that records its outcome
 * @param createdAt when the notification was written, the start of its delivery latency
 */
public record DueDelivery(
    long id,
    long notificationId,
    String tenantId,
    String channel,
    String address,
    int attempt,
    String recipient,
    String type,
    String title,
    UUID procInstId,
    Long taskId,
    Instant createdAt) {}
