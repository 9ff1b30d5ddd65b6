package dev.podflow.store.memory;

/** A document a pod claimed to chunk and embed; {@code attempt} fences its writes. Immutable. */
public record DocumentToEmbed(
    long id, String tenantId, String mediaType, String content, int attempt) {}
