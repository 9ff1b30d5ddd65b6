package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.task.Task;
import org.jdbi.v3.core.Jdbi;

/**
 * Events an orchestrator records while it runs a task (an LLM call, a tool call), appended at once
 * in their own transaction so the timeline shows them live. Fenced like every write of a claim
 * holder: a pod that lost the claim writes nothing. Thread-safe.
 */
public final class TaskEvents {
  private final Jdbi jdbi;

  public TaskEvents(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Appends an event of type {@code type} for the claimed task and returns its id.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public long append(Task claimed, String type, JsonNode payload) {
    return jdbi.withHandle(
        h ->
            h.attach(EventDao.class)
                .eventAppendForClaim(claimed.id(), claimed.claimToken(), type, payload)
                .orElseThrow(() -> new StaleClaimException(claimed.id(), claimed.claimedBy())));
  }
}
