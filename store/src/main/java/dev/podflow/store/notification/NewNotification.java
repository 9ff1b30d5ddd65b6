package dev.podflow.store.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** A push to send: the notifier delivers PENDING rows to the recipient's devices. */
public record NewNotification(
    UUID procInstId,
    Long taskId,
    String recipient,
    String type,
    String title,
    String body,
    JsonNode payload) {}
