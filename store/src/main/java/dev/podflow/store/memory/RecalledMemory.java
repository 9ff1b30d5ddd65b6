package dev.podflow.store.memory;

/**
 * A memory a search found, with its cosine similarity to the query (1 = the same direction).
 * Immutable.
 */
public record RecalledMemory(long id, String content, String source, double score) {}
