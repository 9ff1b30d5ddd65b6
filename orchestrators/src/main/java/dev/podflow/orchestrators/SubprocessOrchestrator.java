package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.StartSubprocess;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;

/**
 * {@code subprocess} with config {@code {"definition": "<id>", "version": n}} ({@code version}
 * optional: the latest when the task runs): runs that definition as a sub-process with the task's
 * input, and completes with its output. The definition parser has checked the config on upload.
 */
public final class SubprocessOrchestrator implements Orchestrator {
  @Override
  public String name() {
    return "subprocess";
  }

  @Override
  public JsonNode run(TaskContext context) throws StartSubprocess {
    JsonNode definition = context.config().get("definition");
    JsonNode version = context.config().get("version");
    if (definition == null || !definition.isTextual()) {
      throw TaskFailedException.permanent(
          "subprocess needs config {\"definition\": \"<id>\"}, got " + context.config());
    }
    throw new StartSubprocess(
        definition.asText(),
        version == null || version.isNull() ? null : version.asInt(),
        context.input());
  }
}
