package dev.podflow.store.instance;

import java.time.Instant;

/**
 * Which instances a list holds: those of {@code tenantId} and, for each other field that is not
 * null, of that status, definition and initiator, created after {@code createdAfter} and before
 * {@code createdBefore}.
 */
public record InstanceFilter(
    String tenantId,
    InstanceStatus status,
    String procDefId,
    String initiator,
    Instant createdAfter,
    Instant createdBefore) {}
