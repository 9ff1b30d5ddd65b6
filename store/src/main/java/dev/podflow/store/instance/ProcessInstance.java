package dev.podflow.store.instance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code bpm_proc_inst} row; it pins the definition version it started with.
 *
 * @param parentTaskId the task that started this instance as its sub-process, else {@code null}
 */
public record ProcessInstance(
    UUID id,
    String procDefId,
    int procDefVersion,
    InstanceStatus status,
    JsonNode input,
    JsonNode output,
    String initiator,
    String tenantId,
    String idempotencyKey,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt,
    Long parentTaskId) {}
