package dev.podflow.pod.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Thrown by an orchestrator to park its task for a person instead of returning an output: the pod
 * records the task as WAITING for {@code assignee}, whose answer must satisfy {@code form} (a JSON
 * Schema; {@code null}: any JSON object), and frees the slot. The answer, given through {@code POST
 * /api/v1/tasks/{id}/complete}, becomes the task's output. This is a signal, not a failure: it
 * costs no attempt and carries no stack trace.
 */
public final class ParkTask extends Exception {
  private final String assignee;
  private final transient JsonNode form;

  public ParkTask(String assignee, JsonNode form) {
    super("parked for " + assignee, null, false, false);
    if (assignee == null || assignee.isBlank()) {
      throw new IllegalArgumentException("a parked task needs a non-blank assignee");
    }
    this.assignee = assignee;
    this.form = form == null || form.isNull() ? null : form;
  }

  public String assignee() {
    return assignee;
  }

  /** The JSON Schema the answer must satisfy, or {@code null} for any JSON object. */
  public JsonNode form() {
    return form;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParkTask p && assignee.equals(p.assignee) && Objects.equals(form, p.form);
  }

  @Override
  public int hashCode() {
    return Objects.hash(assignee, form);
  }
}
