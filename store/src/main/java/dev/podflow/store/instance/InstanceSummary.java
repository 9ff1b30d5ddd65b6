package dev.podflow.store.instance;

import java.time.Instant;
import java.util.UUID;

/**
 * A {@code bpm_proc_inst} row as lists show it: what it runs, who started it and where it stands,
 * without its input and output, which may be large.
 */
public record InstanceSummary(
    UUID id,
    String procDefId,
    int procDefVersion,
    InstanceStatus status,
    String initiator,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {}
