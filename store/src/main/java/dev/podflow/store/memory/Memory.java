package dev.podflow.store.memory;

import java.time.Instant;

/**
 * One {@code memories} row as the API shows it: no embedding, only whether a pod has embedded it.
 *
 * @param userId the user whose runs it shapes; {@code null} = the whole agent
 * @param definitionId the definition whose instances recall it; {@code null} = every definition
 * @param taskId the task it came from (feedback), else {@code null}
 */
public record Memory(
    long id,
    String agentId,
    String userId,
    String definitionId,
    String source,
    String content,
    Long taskId,
    String createdBy,
    boolean embedded,
    Instant createdAt,
    Instant updatedAt) {}
