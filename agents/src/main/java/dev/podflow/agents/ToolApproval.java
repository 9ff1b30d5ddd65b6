package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import java.util.Optional;

/**
 * A person's approval before a tool call whose profile entry says {@code "approval": "always"}: the
 * task parks WAITING for APPROVAL with the conversation so far, for the activity's {@code assignee}
 * (else the initiator). The inbox shows {@code approval} ({@code {"tool", "arguments", "reason"}},
 * the reason being what the model said with the call); the answer, through {@code POST
 * /api/v1/tasks/{id}/complete}, is {@code {"approve": true, "arguments": {…}?}} (the call runs,
 * with the person's arguments if given) or {@code {"approve": false, "reason": "…"}} (the model
 * gets the refusal as the tool's result). Of concurrent answers exactly one wins (the engine locks
 * the task row).
 */
final class ToolApproval {
  /** The person's decision on one call. */
  record Decision(String toolCallId, boolean approved, String arguments, String reason) {}

  private ToolApproval() {}

  /** The form an answer must fit. */
  static JsonNode form(String label) {
    ObjectNode form = Json.object().put("type", "object").put("title", "Approve a tool call");
    form.put("description", "The agent wants to call " + label + ". Approve or refuse the call.");
    form.putArray("required").add("approve");
    ObjectNode properties = form.putObject("properties");
    properties.putObject("approve").put("type", "boolean");
    properties
        .putObject("arguments")
        .put("type", "object")
        .put("description", "The arguments to call it with instead of the agent's");
    properties
        .putObject("reason")
        .put("type", "string")
        .put("description", "Why the call is refused; the agent reads it");
    form.put("additionalProperties", false);
    return form;
  }

  /** Parks the task until a person decides on {@code call}; {@code state} carries the rest. */
  static AskPerson ask(
      TaskContext task,
      String assignee,
      AgentTool tool,
      ToolExecutionRequest call,
      String reason,
      ObjectNode state) {
    JsonNode arguments = argumentsOf(call.arguments());
    ObjectNode approval = Json.object().put("tool", tool.label());
    approval.set("arguments", arguments);
    approval.put("reason", reason);
    task.recordEvent(
        LlmActionOrchestrator.APPROVAL_REQUESTED,
        approval.deepCopy().put("assignee", assignee).put("toolCallId", call.id()));
    state.set("approval", approval.deepCopy().put("toolCallId", call.id()));
    return AskPerson.forApproval(assignee, form(tool.label()), state);
  }

  /** The decision a resumed task carries, when it parked for an approval. */
  static Optional<Decision> decision(TaskContext task) {
    Optional<JsonNode> state = task.savedState();
    Optional<JsonNode> answer = task.answer();
    if (state.isEmpty() || answer.isEmpty() || !state.get().has("approval")) {
      return Optional.empty();
    }
    JsonNode asked = state.get().get("approval");
    JsonNode given = answer.get();
    boolean approved = given.path("approve").asBoolean(false);
    JsonNode arguments = given.get("arguments");
    String reason = given.path("reason").asText("");
    return Optional.of(
        new Decision(
            asked.path("toolCallId").asText(),
            approved,
            arguments != null && arguments.isObject()
                ? Json.write(arguments)
                : Json.write(asked.path("arguments")),
            reason));
  }

  /** What the model reads when a person refused its call. */
  static String refusal(Decision decision) {
    return "error: a person refused this call"
        + (decision.reason().isBlank() ? "." : ": " + decision.reason());
  }

  private static JsonNode argumentsOf(String json) {
    try {
      JsonNode parsed = json == null || json.isBlank() ? Json.object() : Json.parse(json);
      return parsed.isObject() ? parsed : Json.object().set("value", parsed);
    } catch (RuntimeException e) {
      return Json.object().put("unparsed", json);
    }
  }
}
