package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds an {@code llm-action} prompt: a system message of static text (the agent's persona and
 * instructions, plus the output contract when the activity has an output schema) and a user message
 * of per-request text (the rendered template, then the dynamic context: the process input and the
 * task input, i.e. the previous step's output).
 */
final class PromptBuilder {
  /** Opens the block that carries the output schema; the offline model looks for it too. */
  static final String SCHEMA_MARKER =
      "Answer with one JSON object, and nothing else, that matches this JSON Schema:";

  private static final String FENCE = "```";

  private PromptBuilder() {}

  static List<ChatMessage> messages(
      Agent agent,
      String renderedPrompt,
      JsonNode processInput,
      JsonNode taskInput,
      JsonNode outputSchema) {
    StringBuilder system = new StringBuilder();
    if (!agent.persona().isBlank()) system.append(agent.persona().strip()).append("\n\n");
    if (!agent.instructions().isBlank()) system.append(agent.instructions().strip()).append("\n\n");
    if (outputSchema != null) {
      system
          .append(SCHEMA_MARKER)
          .append('\n')
          .append(FENCE)
          .append("json\n")
          .append(Json.write(outputSchema))
          .append('\n')
          .append(FENCE)
          .append('\n');
    }
    StringBuilder user = new StringBuilder(renderedPrompt.strip());
    user.append("\n\n## Context\nProcess input:\n")
        .append(Json.write(processInput))
        .append("\nInput of this step (the previous step's output):\n")
        .append(Json.write(taskInput))
        .append('\n');
    List<ChatMessage> messages = new ArrayList<>();
    String systemText = system.toString().strip();
    if (!systemText.isEmpty()) messages.add(SystemMessage.from(systemText));
    messages.add(UserMessage.from(user.toString()));
    return messages;
  }

  /** The schema of a {@link #SCHEMA_MARKER} block in {@code text}, if there is one. */
  static Optional<JsonNode> schemaIn(String text) {
    int marker = text.indexOf(SCHEMA_MARKER);
    if (marker < 0) return Optional.empty();
    int open = text.indexOf(FENCE + "json\n", marker);
    if (open < 0) return Optional.empty();
    int start = open + FENCE.length() + 5;
    int close = text.indexOf("\n" + FENCE, start);
    if (close < 0) return Optional.empty();
    try {
      return Optional.of(Json.parse(text.substring(start, close)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
