package dev.podflow.store.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** One {@code todolist} row: one execution of one activity of one process instance. */
public record Task(
    long id,
    UUID procInstId,
    String activityId,
    String orchestrator,
    TaskStatus status,
    int priority,
    Instant runAfter,
    int attempts,
    int maxAttempts,
    String claimedBy,
    UUID claimToken,
    Instant leaseExpiresAt,
    Instant heartbeatAt,
    JsonNode input,
    JsonNode output,
    String lastError,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }
}
