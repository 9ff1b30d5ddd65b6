package dev.podflow.store.memory;

/** A document chunk a search found, with its cosine similarity to the query. Immutable. */
public record RecalledChunk(long id, long documentId, String title, String content, double score) {}
