package dev.podflow.store.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an instance's append-only timeline; {@code taskId} is null for instance-level
 * events.
 */
public record Event(
    long id, UUID procInstId, Long taskId, String type, JsonNode payload, Instant createdAt) {}
