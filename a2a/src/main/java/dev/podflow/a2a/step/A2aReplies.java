package dev.podflow.a2a.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import io.a2a.spec.Artifact;
import io.a2a.spec.DataPart;
import io.a2a.spec.EventKind;
import io.a2a.spec.Message;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TextPart;
import java.util.List;
import java.util.Optional;

/**
 * What a peer's answer makes of the step. A {@link Message} or a completed {@link Task} becomes the
 * output: {@code text} (the text parts, joined by blank lines), {@code data} (the data parts'
 * objects merged, when there are any), {@code artifacts} (each with {@code name}, {@code text} and
 * {@code data}) and the peer's {@code taskId} and {@code contextId}. A failed, rejected or
 * cancelled task fails the attempt for good with the peer's message. Stateless.
 */
final class A2aReplies {
  private A2aReplies() {}

  /**
   * The output the reply makes; empty while the peer's task is still submitted or working, or waits
   * for input from its caller ({@code input-required}, see {@link #question}).
   */
  static Optional<JsonNode> finished(EventKind reply, String peer) {
    return switch (reply) {
      case Message message -> {
        ObjectNode output = parts(message.getParts());
        output.put("contextId", message.getContextId());
        yield Optional.of(output);
      }
      case Task task ->
          switch (task.getStatus().state()) {
            case SUBMITTED, WORKING, INPUT_REQUIRED -> Optional.empty();
            default -> Optional.of(completed(task, peer));
          };
      default ->
          throw TaskFailedException.retryable(
              "A2A peer " + peer + " answered with " + reply.getKind() + ", not a message or task");
    };
  }

  private static JsonNode completed(Task task, String peer) {
    switch (task.getStatus().state()) {
      case COMPLETED -> {
        ArrayNode artifacts = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder();
        ObjectNode data = null;
        for (Artifact artifact :
            task.getArtifacts() == null ? List.<Artifact>of() : task.getArtifacts()) {
          ObjectNode parts = parts(artifact.parts());
          artifacts.add(parts.put("name", artifact.name()));
          if (!parts.path("text").asText().isEmpty()) {
            if (!text.isEmpty()) text.append("\n\n");
            text.append(parts.path("text").asText());
          }
          if (parts.has("data")) {
            if (data == null) data = Json.object();
            data.setAll((ObjectNode) parts.get("data"));
          }
        }
        ObjectNode output = Json.object().put("text", text.toString());
        if (data != null) output.set("data", data);
        output.set("artifacts", artifacts);
        return output.put("taskId", task.getId()).put("contextId", task.getContextId());
      }
      case FAILED, REJECTED, CANCELED ->
          throw TaskFailedException.permanent(
              "A2A peer "
                  + peer
                  + " "
                  + task.getStatus().state().asString()
                  + " task "
                  + task.getId()
                  + statusText(task));
      default ->
          throw TaskFailedException.permanent(
              "A2A peer "
                  + peer
                  + " task "
                  + task.getId()
                  + " is "
                  + task.getStatus().state().asString()
                  + statusText(task)
                  + "; Podflow cannot give a peer what it asks for but input");
    }
  }

  /** What a peer's task that waits for input asks: its status message's text. */
  static String question(Task task) {
    Message message = task.getStatus().message();
    return message == null ? "" : parts(message.getParts()).path("text").asText();
  }

  private static String statusText(Task task) {
    Message message = task.getStatus().message();
    if (message == null) return "";
    String text = parts(message.getParts()).path("text").asText();
    return text.isEmpty() ? "" : ": " + text;
  }

  /** {@code {"text": …, "data"?: …}} of some parts. */
  private static ObjectNode parts(List<Part<?>> parts) {
    StringBuilder text = new StringBuilder();
    ObjectNode data = null;
    for (Part<?> part : parts == null ? List.<Part<?>>of() : parts) {
      if (part instanceof TextPart textPart) {
        if (!text.isEmpty()) text.append("\n\n");
        text.append(textPart.getText());
      } else if (part instanceof DataPart dataPart) {
        if (data == null) data = Json.object();
        data.setAll((ObjectNode) Json.MAPPER.valueToTree(dataPart.getData()));
      }
    }
    ObjectNode output = Json.object().put("text", text.toString());
    if (data != null) output.set("data", data);
    return output;
  }
}
