package dev.podflow.a2a.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import io.a2a.spec.AgentCard;
import io.a2a.spec.Message;
import io.a2a.spec.TextPart;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * What an {@code a2a} step says to its peer and asks a person: the first message (the config's
 * template rendered with the placeholders prompts use), a peer's question as an inbox form, and the
 * person's answer as the next message of the peer's task. Thread-safe.
 */
final class PeerMessages {
  private final Jdbi jdbi;

  PeerMessages(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Message message(TaskContext task) {
    String text =
        PromptTemplate.render(
            task.config().path("message").asText(),
            task.input(),
            task.claimed().instance().input(),
            stepOutputs(task));
    return new Message.Builder()
        .role(Message.Role.USER)
        .parts(new TextPart(text))
        .messageId(messageId(task, Integer.toString(task.attempt())))
        .build();
  }

  /**
   * The same id for the same message of the same task ({@code which}: its attempt, or its turn of
   * questions), so a peer can tell a repeat.
   */
  private static String messageId(TaskContext task, String which) {
    String key = "podflow:" + task.claimed().task().id() + ":" + which;
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private Map<String, JsonNode> stepOutputs(TaskContext task) {
    Map<String, JsonNode> outputs = new HashMap<>();
    if (!task.config().path("message").asText().contains("steps.")) return outputs;
    for (Task done :
        jdbi.withHandle(
            h -> h.attach(TaskDao.class).taskListLatestDone(task.claimed().instance().id()))) {
      outputs.put(done.activityId(), done.output());
    }
    return outputs;
  }

  /**
   * Who answers the peer's questions: the activity's {@code assignee}, else the process's
   * initiator.
   */
  static String assignee(TaskContext task, AgentCard card) {
    String assignee = task.config().path("assignee").asText(null);
    if (assignee == null) assignee = task.claimed().instance().initiator();
    if (assignee == null || assignee.isBlank()) {
      throw TaskFailedException.permanent(
          "A2A peer "
              + card.name()
              + " asks for input, but the step names no assignee and the process no initiator");
    }
    return assignee;
  }

  /** The inbox form of a peer's question: one text answer, the question as its description. */
  static JsonNode questionForm(AgentCard card, String question) {
    ObjectNode form =
        Json.object()
            .put("type", "object")
            .put("title", card.name() + " asks")
            .put("description", question.isEmpty() ? "(no question given)" : question)
            .put("additionalProperties", false);
    form.putArray("required").add("text");
    form.putObject("properties").putObject("text").put("type", "string").put("minLength", 1);
    return form;
  }

  /** The person's answer, as the next message of the peer's task. */
  static Message answer(TaskContext task, ObjectNode state) {
    return new Message.Builder()
        .role(Message.Role.USER)
        .parts(new TextPart(task.answer().orElseThrow().path("text").asText()))
        .taskId(state.path("peerTaskId").asText())
        .contextId(state.path("contextId").asText())
        .messageId(messageId(task, "turn:" + state.path("turns").asInt()))
        .build();
  }
}
