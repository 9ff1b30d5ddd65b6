package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.store.task.WaitingFor;

/**
 * Asks a person something in the middle of a task (the Assistants API's {@code requires_action}):
 * an answer to a question, or the approval of a tool call. The task waits for {@code assignee}'s
 * answer, which must satisfy {@code form}, then runs again from the start with fresh attempts;
 * {@link TaskContext#savedState()} gives back {@code state} and {@link TaskContext#answer()} the
 * answer.
 */
public final class AskPerson extends TaskSuspension {
  private final WaitingFor waitingFor;
  private final String assignee;
  private final transient JsonNode form;
  private final transient JsonNode state;

  /** A question: the task waits for an {@link WaitingFor#ANSWER}. */
  public AskPerson(String assignee, JsonNode form, JsonNode state) {
    this(WaitingFor.ANSWER, assignee, form, state);
  }

  private AskPerson(WaitingFor waitingFor, String assignee, JsonNode form, JsonNode state) {
    super((waitingFor == WaitingFor.APPROVAL ? "asks approval of " : "asks ") + assignee);
    this.waitingFor = waitingFor;
    this.assignee = requireAssignee(assignee);
    this.form = form == null || form.isNull() ? null : form;
    this.state = state == null ? Json.object() : state;
  }

  /** A request to approve a tool call: the task waits for an {@link WaitingFor#APPROVAL}. */
  public static AskPerson forApproval(String assignee, JsonNode form, JsonNode state) {
    return new AskPerson(WaitingFor.APPROVAL, assignee, form, state);
  }

  /** {@link WaitingFor#ANSWER} or {@link WaitingFor#APPROVAL}. */
  public WaitingFor waitingFor() {
    return waitingFor;
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
