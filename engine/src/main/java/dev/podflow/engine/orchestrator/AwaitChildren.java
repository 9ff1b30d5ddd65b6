package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import java.util.List;

/**
 * Splits the task into child tasks that any pod may claim, one per input: they run the same
 * activity with their own input. The task waits until every child is DONE, then runs again with
 * fresh attempts; {@link TaskContext#children()} gives the children with their outputs and {@link
 * TaskContext#savedState()} gives back {@code state}.
 */
public final class AwaitChildren extends TaskSuspension {
  /** More children than this is a bug in the orchestrator, not a plan. */
  public static final int MAX_CHILDREN = 100;

  private final transient List<JsonNode> childInputs;
  private final transient JsonNode state;

  public AwaitChildren(List<JsonNode> childInputs, JsonNode state) {
    super("awaits " + childInputs.size() + " child tasks");
    if (childInputs.isEmpty() || childInputs.size() > MAX_CHILDREN) {
      throw new IllegalArgumentException(
          "a task may spawn 1 to " + MAX_CHILDREN + " child tasks, not " + childInputs.size());
    }
    this.childInputs = List.copyOf(childInputs);
    this.state = state == null ? Json.object() : state;
  }

  public List<JsonNode> childInputs() {
    return childInputs;
  }

  public JsonNode state() {
    return state;
  }
}
