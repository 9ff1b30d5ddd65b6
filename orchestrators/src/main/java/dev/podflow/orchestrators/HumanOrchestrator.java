package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.ParkTask;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.Set;

/**
 * {@code human} with config {@code {"assignee": "<user id>", "form": {JSON Schema}}}: parks the
 * task for the assignee (WAITING, a {@code task_assigned} notification queued) and frees the slot
 * at once; the person's answer, validated against the form, is the task's output. A config that
 * slipped past {@link #checkConfig} (stored before the check) fails the task for good.
 */
public final class HumanOrchestrator implements Orchestrator {
  @Override
  public String name() {
    return "human";
  }

  /** The assignee is required; the form, when given, must be a JSON Schema. */
  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("assignee", "form"));
    if (check.required("assignee", "the id of the user who answers the task")) {
      check.optionalUserId("assignee");
    }
    check.optionalJsonSchema("form");
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
