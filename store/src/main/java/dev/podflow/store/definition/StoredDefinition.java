package dev.podflow.store.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One version of a process definition as stored in {@code proc_def}. */
public record StoredDefinition(
    String id, int version, String name, JsonNode definition, Instant createdAt) {}
