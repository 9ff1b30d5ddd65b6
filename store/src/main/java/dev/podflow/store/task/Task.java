package dev.podflow.store.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code todolist} row: one execution of one activity of one process instance.
 *
 * @param assignee who answers the task once it is parked for a person (WAITING); else {@code null}
 * @param form the JSON Schema that person's answer must satisfy; {@code null}: any JSON object
 * @param waitingFor what a WAITING task waits for (kept after it stopped waiting); else {@code
 *     null}
 * @param checkpoint the state its orchestrator saved when the task last waited, handed back when it
 *     runs again ({@code {"state": …, "answer": …}}); {@code null} when it never waited
 * @param parentTaskId the task that spawned this one as a child task, else {@code null}
 * @param pass which run of its activity in the instance this is: 1, then 2, 3, … each time a loop
 *     leads back to the activity (a child task carries its parent's)
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
    JsonNode form,
    WaitingFor waitingFor,
    JsonNode checkpoint,
    Long parentTaskId,
    int pass) {

  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }
}
