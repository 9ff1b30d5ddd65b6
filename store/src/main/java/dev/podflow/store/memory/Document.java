package dev.podflow.store.memory;

import java.time.Instant;

/**
 * One {@code documents} row as the API shows it: how far the pods have got, never its content.
 *
 * @param agentId the agent that recalls it; {@code null} = every agent of the tenant
 * @param status {@code QUEUED}, {@code EMBEDDING}, {@code READY} or {@code FAILED}
 * @param chunks how many chunks a pod cut it into; {@code null} until one has
 * @param chunksEmbedded how many of them are embedded so far
 * @param error why the last attempt failed, else {@code null}
 * @param attempts how many times a pod has claimed it
 */
public record Document(
    long id,
    String title,
    String mediaType,
    String agentId,
    String status,
    Integer chunks,
    int chunksEmbedded,
    String error,
    int attempts,
    Instant createdAt,
    Instant updatedAt) {}
