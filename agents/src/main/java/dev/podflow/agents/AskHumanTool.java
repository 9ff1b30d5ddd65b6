package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import java.util.Optional;

/**
 * The {@code ask_human} tool of {@code llm-action} (the Assistants API's {@code requires_action},
 * pydantic-ai's deferred tools): an agent whose profile names it may ask a person a question. The
 * task is parked for the activity's {@code assignee} (else the process initiator) with the
 * conversation so far as its checkpoint; the answer, given through {@code POST
 * /api/v1/tasks/{id}/complete} with {@code {"output": {"answer": "…"}}}, becomes the tool's result
 * and the conversation carries on, on whichever pod claims the task next.
 */
final class AskHumanTool {
  static final String NAME = "ask_human";

  static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name(NAME)
          .description(
              "Ask a person a question and wait for the answer. Use it when you need a decision,"
                  + " an approval or information only a person has. The work pauses until they"
                  + " answer; the answer is this tool's result.")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty("question", "The question, understandable on its own")
                  .required("question")
                  .build())
          .build();

  private AskHumanTool() {}

  /** Whom the agent asks: the activity's {@code assignee}, else the process initiator. */
  static Optional<String> assignee(TaskContext task) {
    JsonNode configured = task.config().get("assignee");
    if (configured != null && configured.isTextual() && !configured.asText().isBlank()) {
      return Optional.of(configured.asText());
    }
    String initiator = task.claimed().instance().initiator();
    return initiator == null || initiator.isBlank() ? Optional.empty() : Optional.of(initiator);
  }

  /**
   * Parks the task with the conversation ({@code state}: the messages, the model's question last)
   * until the assignee answers.
   */
  static AskPerson ask(
      TaskContext task, String assignee, ToolExecutionRequest call, ObjectNode state) {
    String question = question(call);
    task.recordEvent(
        LlmActionOrchestrator.TOOL_CALL,
        Json.object()
            .put("tool", NAME)
            .put("question", question)
            .put("assignee", assignee)
            .put("known", true));
    ObjectNode form = Json.object().put("type", "object").put("title", "A question from the agent");
    form.put("description", question);
    form.putArray("required").add("answer");
    form.putObject("properties")
        .putObject("answer")
        .put("type", "string")
        .put("minLength", 1)
        .put("description", "Your answer to: " + question);
    state.put("toolCallId", call.id()).put("question", question);
    return new AskPerson(assignee, form, state);
  }

  /** The person's answer, as the result of the model's question the task parked with. */
  static ToolExecutionResultMessage answerOf(TaskContext task, JsonNode state) {
    JsonNode answer = task.answer().orElseThrow();
    String text =
        answer.path("answer").isTextual() ? answer.get("answer").asText() : Json.write(answer);
    return ToolExecutionResultMessage.from(state.get("toolCallId").asText(), NAME, text);
  }

  private static String question(ToolExecutionRequest call) {
    try {
      JsonNode arguments = Json.parse(call.arguments());
      if (arguments.path("question").isTextual()) return arguments.get("question").asText();
    } catch (RuntimeException e) {
      // not JSON: the raw arguments are the best question there is
    }
    return call.arguments();
  }
}
