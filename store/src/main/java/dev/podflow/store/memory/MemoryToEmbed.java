package dev.podflow.store.memory;

/** A memory a pod claimed to embed ({@code memoryClaimToEmbed.sql}). Immutable. */
public record MemoryToEmbed(long id, String tenantId, String agentId, String content) {}
