package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;

/**
 * Asks a person a question in the middle of a task (the Assistants API's {@code requires_action}):
 * the task waits for {@code assignee}'s answer, which must satisfy {@code form}, then runs again
 * from the start with fresh attempts; {@link TaskContext#savedState()} gives back {@code state} and
 * {@link TaskContext#answer()} the answer.
 */
public final class AskPerson extends TaskSuspension {
  private final String assignee;
  private final transient JsonNode form;
  private final transient JsonNode state;

  public AskPerson(String assignee, JsonNode form, JsonNode state) {
    super("asks " + assignee);
    this.assignee = requireAssignee(assignee);
    this.form = form == null || form.isNull() ? null : form;
    this.state = state == null ? Json.object() : state;
  }

  public String assignee() {
    return assignee;
  }

  /** The JSON Schema the answer must satisfy, or {@code null} for any JSON object. */
  public JsonNode form() {
    return form;
  }

  /** What the orchestrator needs to carry on once the answer is in. */
  public JsonNode state() {
    return state;
  }
}
