package dev.podflow.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.task.Task;

/**
 * Events an orchestrator records while it runs a task (an LLM call, a tool call), appended at once
 * in their own transaction so the timeline shows them live. Fenced like every write of a claim
 * holder: a pod that lost the claim writes nothing. Thread-safe.
 */
public final class TaskEvents {
  private final TxRunner runner;

  public TaskEvents(TxRunner runner) {
    this.runner = runner;
  }

  /**
   * Appends an event of type {@code type} for the claimed task and returns its id.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public long append(Task claimed, String type, JsonNode payload) {
    return runner.autocommit(tx -> tx.events().byClaimHolder(claimed, type, payload));
  }
}
