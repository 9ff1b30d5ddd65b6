package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.Set;

/**
 * {@code fail} with config {@code {"message": "<why>", "retryable": false}}: BPMN's error end
 * event. Every attempt fails with the message: retried with the activity's backoff while {@code
 * retryable} is true and attempts are left, else the task is DEAD and its instance in ERROR ({@code
 * retryable} defaults to false). A model reaches it through a condition ({@code {"to": "reject",
 * "when": …}}); tests, the benchmark and the chaos harness use it as a step that fails by design.
 */
public final class FailOrchestrator implements Orchestrator {
  @Override
  public String name() {
    return "fail";
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("message", "retryable"));
    check.requiredText("message", "what the failure says, e.g. \"order rejected\"");
    check.optionalBoolean("retryable");
  }

  @Override
  public JsonNode run(TaskContext context) {
    JsonNode message = context.config().get("message");
    if (message == null || !message.isTextual() || message.asText().isBlank()) {
      throw TaskFailedException.permanent(
          "fail needs config {\"message\": \"<why>\"}, got " + context.config());
    }
    boolean retryable = context.config().path("retryable").asBoolean(false);
    throw retryable
        ? TaskFailedException.retryable(message.asText())
        : TaskFailedException.permanent(message.asText());
  }
}
