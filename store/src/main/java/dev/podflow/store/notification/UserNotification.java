package dev.podflow.store.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A notification as its recipient reads it ({@code notifications}).
 *
 * @param data the notification's payload (ids and what the client needs to open it)
 * @param processId the instance it is about; null for none
 * @param taskId the task it is about; null for none
 * @param status where its delivery is: PENDING, DELIVERING, SENT, FAILED, UNDELIVERABLE or DEAD
 * @param read whether the recipient marked it read
 */
public record UserNotification(
    long id,
    String type,
    String title,
    String body,
    JsonNode data,
    UUID processId,
    Long taskId,
    String status,
    boolean read,
    Instant createdAt) {}
