package dev.podflow.pod.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.transition.ClaimedTask;

/** What an orchestrator gets to run one task. */
public record TaskContext(ClaimedTask claimed, String podId) {
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
}
