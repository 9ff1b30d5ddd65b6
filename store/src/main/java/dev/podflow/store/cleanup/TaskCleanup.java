package dev.podflow.store.cleanup;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a cancelled task left to undo outside ({@code task_cleanups}, V19): its orchestrator's
 * {@code onCancel} payload, carried out by a pod through that orchestrator. Immutable.
 *
 * @param attempts how many times a pod has tried, this claim included
 */
public record TaskCleanup(
    long id, String tenantId, long taskId, String orchestrator, JsonNode payload, int attempts) {}
