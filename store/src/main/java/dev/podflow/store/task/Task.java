package dev.podflow.store.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code todolist} row: one execution of one activity of one process instance.
 *
 * @param assignee who answers the task once it is parked for a person (WAITING); else {@code null}
 * @param form the JSON Schema that person's answer must satisfy; {@code null}: any JSON object
 */
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
    Instant finishedAt,
    String assignee,
    JsonNode form) {

  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }
}
