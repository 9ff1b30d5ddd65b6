package dev.podflow.store.instance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * What is needed to insert a process instance; {@code idempotencyKey} may be null, and {@code
 * parentTaskId} is null unless the instance is a sub-process.
 */
public record NewInstance(
    UUID id,
    String procDefId,
    int procDefVersion,
    JsonNode input,
    String initiator,
    String tenantId,
    String idempotencyKey,
    Long parentTaskId) {}
