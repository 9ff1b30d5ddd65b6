package dev.podflow.pod.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.transition.ClaimedTask;
import dev.podflow.engine.transition.TaskEvents;

/** What an orchestrator gets to run one task. */
public record TaskContext(ClaimedTask claimed, String podId, TaskEvents events) {
  /** The task's input: the process input for the first activity, else the previous output. */
  public JsonNode input() {
    return claimed.task().input();
  }

  /** The activity's {@code config} object from the definition. */
  public JsonNode config() {
    return claimed.activity().config();
  }

  public int attempt() {
    return claimed.task().attempts();
  }

  /**
   * Appends an event of this task to the instance's timeline now (e.g. {@code llm_call}), visible
   * on the SSE stream at once.
   *
   * @throws dev.podflow.engine.transition.StaleClaimException when this pod no longer holds the
   *     claim; nothing is written and the orchestrator should stop
   */
  public long recordEvent(String type, JsonNode payload) {
    return events.append(claimed.task(), type, payload);
  }
}
