package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.ParkTask;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;

/**
 * {@code human} with config {@code {"assignee": "<user id>", "form": {JSON Schema}}}: parks the
 * task for the assignee (WAITING, a {@code task_assigned} notification queued) and frees the slot
 * at once; the person's answer, validated against the form, is the task's output. The definition
 * parser has checked the config on upload; a config that slipped past it fails the task for good.
 */
public final class HumanOrchestrator implements Orchestrator {
  @Override
  public String name() {
    return "human";
  }

  @Override
  public JsonNode run(TaskContext context) throws ParkTask {
    JsonNode assignee = context.config().get("assignee");
    if (assignee == null || !assignee.isTextual() || assignee.asText().isBlank()) {
      throw TaskFailedException.permanent(
          "human needs config {\"assignee\": \"<user id>\"}, got " + context.config());
    }
    throw new ParkTask(assignee.asText(), context.config().get("form"));
  }
}
