package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The DONE tasks of one instance in completion order, of each activity its latest pass only (a loop
 * that ran an activity again replaces what it did before): what {@code
 * {{steps.<activityId>.output}}} reads and what the prompt's "Earlier steps" block shows.
 * Immutable.
 */
final class InstanceHistory {
  /**
   * One finished task.
   *
   * @param activityName the activity's name in the pinned definition (the id when it has none);
   *     null if the definition could not be read
   * @param output the task's output; JSON null when it has none
   * @param pass which run of its activity it was (see {@code todolist.pass})
   */
  public record DoneStep(
      long taskId,
      String activityId,
      int pass,
      String activityName,
      JsonNode output,
      Instant finishedAt) {
    public DoneStep {
      if (output == null) output = NullNode.getInstance();
    }
  }

  static final InstanceHistory EMPTY = new InstanceHistory(List.of());

  private final List<DoneStep> steps;

  /**
   * @param steps every DONE task, oldest completion first; earlier passes are dropped here
   */
  InstanceHistory(List<DoneStep> steps) {
    Map<String, Integer> latestPass = new HashMap<>();
    for (DoneStep step : steps) latestPass.merge(step.activityId(), step.pass(), Math::max);
    this.steps = steps.stream().filter(s -> s.pass() == latestPass.get(s.activityId())).toList();
  }

  /** One query: the instance's DONE tasks, oldest completion first. */
  static InstanceHistory load(Jdbi jdbi, UUID instanceId) {
    return new InstanceHistory(
        jdbi.withHandle(h -> h.attach(HistoryDao.class).historyDoneSteps(instanceId)));
  }

  /** Oldest completion first, each activity's latest pass. */
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
