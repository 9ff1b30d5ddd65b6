package dev.podflow.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.task.Task;

/**
 * What an orchestrator writes while it runs a task: events (an LLM call, a tool call), appended at
 * once in their own transaction so the timeline shows them live, and its progress checkpoint, which
 * a later attempt of the same task resumes from. Fenced like every write of a claim holder: a pod
 * that lost the claim writes nothing. Thread-safe.
 */
public final class TaskRecorder {
  private final TxRunner runner;

  public TaskRecorder(TxRunner runner) {
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

  /**
   * Stores {@code progress} as the claimed task's progress checkpoint (replacing the previous one),
   * committed before this returns: an attempt that follows a crash finds it in {@link
   * dev.podflow.engine.orchestrator.TaskContext#progress()}.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public void saveProgress(Task claimed, JsonNode progress) {
    int saved =
        runner.autocommit(
            tx -> tx.tasks().taskSaveProgress(claimed.id(), claimed.claimToken(), progress));
    if (saved == 0) throw new StaleClaimException(claimed.id(), claimed.claimedBy());
  }
}
