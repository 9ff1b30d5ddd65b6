package dev.podflow.store.definition;

import java.time.Instant;

/** One version of a process definition as lists show it: without its activities. */
public record DefinitionSummary(String id, int version, String name, Instant createdAt) {}
