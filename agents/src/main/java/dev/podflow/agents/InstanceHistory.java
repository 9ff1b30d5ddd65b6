package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The DONE tasks of one instance in completion order: what {@code {{steps.<activityId>.output}}}
 * reads and what the prompt's "Earlier steps" block shows. Immutable.
 */
final class InstanceHistory {
  /**
   * One finished task.
   *
   * @param activityName the activity's name in the pinned definition (the id when it has none);
   *     null if the definition could not be read
   * @param output the task's output; JSON null when it has none
   */
  public record DoneStep(
      long taskId, String activityId, String activityName, JsonNode output, Instant finishedAt) {
    public DoneStep {
      if (output == null) output = NullNode.getInstance();
    }
  }

  static final InstanceHistory EMPTY = new InstanceHistory(List.of());

  private final List<DoneStep> steps;

  InstanceHistory(List<DoneStep> steps) {
    this.steps = List.copyOf(steps);
  }

  /** One query: the instance's DONE tasks, oldest completion first. */
  static InstanceHistory load(Jdbi jdbi, UUID instanceId) {
    return new InstanceHistory(
        jdbi.withHandle(h -> h.attach(HistoryDao.class).historyDoneSteps(instanceId)));
  }

  /** Oldest completion first. */
  List<DoneStep> steps() {
    return steps;
  }

  /** Activity id → the output of its latest DONE task, in first-completion order. */
  Map<String, JsonNode> latestOutputs() {
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    for (DoneStep step : steps) outputs.put(step.activityId(), step.output());
    return Collections.unmodifiableMap(outputs);
  }
}
