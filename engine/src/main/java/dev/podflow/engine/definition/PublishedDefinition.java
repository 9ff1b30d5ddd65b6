package dev.podflow.engine.definition;

import java.time.Instant;

/** A definition together with the version it was stored as. */
public record PublishedDefinition(ProcessDefinition definition, int version, Instant createdAt) {}
