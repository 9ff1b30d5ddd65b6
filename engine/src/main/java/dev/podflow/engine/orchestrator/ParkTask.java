package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Parks the task for a person: WAITING for {@code assignee}, whose answer must satisfy {@code form}
 * (a JSON Schema; {@code null}: any JSON object). The answer, given through {@code POST
 * /api/v1/tasks/{id}/complete}, becomes the task's output.
 */
public final class ParkTask extends TaskSuspension {
  private final String assignee;
  private final transient JsonNode form;

  public ParkTask(String assignee, JsonNode form) {
    super("parked for " + assignee);
    this.assignee = requireAssignee(assignee);
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
