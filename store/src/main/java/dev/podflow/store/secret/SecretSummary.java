package dev.podflow.store.secret;

import java.time.Instant;

/**
 * What may be shown of a tenant's secret: its name and when it was first stored and last replaced;
 * never its value. Immutable.
 */
public record SecretSummary(String name, Instant createdAt, Instant updatedAt) {}
