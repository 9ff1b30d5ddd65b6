package dev.podflow.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import dev.podflow.store.instance.InstanceStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A Podflow process as an A2A task (protocol 0.3), the one shape the A2A server answers and the
 * push notifications to its callers carry: id and context id are the process id; the state is
 * {@code working}, {@code input-required} (a step waits for a person), {@code completed} (the
 * output as one data artifact), {@code failed} or {@code canceled}. Stateless.
 */
public final class ProcessAsTask {
  private ProcessAsTask() {}

  /**
   * @param waitingStep the activity of a step waiting for a person's answer, or null
   */
  public static ObjectNode of(
      UUID processId,
      InstanceStatus status,
      JsonNode output,
      Instant finishedAt,
      String waitingStep) {
    ObjectNode task =
        Json.object()
            .put("kind", "task")
            .put("id", processId.toString())
            .put("contextId", processId.toString());
    String state = state(status, waitingStep);
    ObjectNode taskStatus = task.putObject("status").put("state", state);
    taskStatus.put("timestamp", (finishedAt == null ? Instant.now() : finishedAt).toString());
    if (state.equals("input-required")) {
      ObjectNode message =
          taskStatus
              .putObject("message")
              .put("kind", "message")
              .put("role", "agent")
              .put("messageId", processId + ":" + waitingStep);
      message
          .putArray("parts")
          .addObject()
          .put("kind", "text")
          .put(
              "text",
              "Step '"
                  + waitingStep
                  + "' waits for an answer; reply in this task (a message with its taskId).");
    }
    var artifacts = task.putArray("artifacts");
    if (status == InstanceStatus.COMPLETED) {
      ObjectNode artifact = artifacts.addObject().put("artifactId", "output").put("name", "output");
      ObjectNode part = artifact.putArray("parts").addObject().put("kind", "data");
      part.set("data", output == null ? Json.object() : output);
    }
    task.putArray("history");
    return task;
  }

  /** The A2A state of a process in {@code status}, with a step waiting for a person or not. */
  public static String state(InstanceStatus status, String waitingStep) {
    return switch (status) {
      case COMPLETED -> "completed";
      case ERROR -> "failed";
      case CANCELLED -> "canceled";
      default -> waitingStep != null ? "input-required" : "working";
    };
  }
}
