package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.podflow.memory.PodMemory;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds an {@code llm-action} prompt: a system message of static text (the agent's persona and
 * instructions, plus the output contract when the activity has an output schema) and a user message
 * of per-request text (the rendered template, what the agent recalled from its memory under {@link
 * #MEMORY_HEADING} and the passages of documents under {@link #DOCUMENTS_HEADING}, then the dynamic
 * context: the process input, the task input, i.e. the previous step's output, and the instance's
 * history: every DONE task's output in completion order, each abbreviated to {@value #STEP_CHARS}
 * characters and all of them to about {@value #HISTORY_CHARS}, the newest kept).
 */
final class PromptBuilder {
  /** Opens the block that carries the output schema; the offline model looks for it too. */
  static final String SCHEMA_MARKER =
      "Answer with one JSON object, and nothing else, that matches this JSON Schema:";

  /** Opens the block of earlier steps' outputs. */
  static final String HISTORY_HEADING = "Earlier steps of this process (oldest first):";

  /** Opens the block of what the agent recalled from its memory. */
  static final String MEMORY_HEADING =
      "## What you have learned (from feedback and teaching; follow it where it applies)";

  /** Opens the block of passages recalled from the tenant's documents. */
  static final String DOCUMENTS_HEADING = "## Relevant passages from documents";

  /** The most of one earlier step's output JSON that goes into a prompt. */
  static final int STEP_CHARS = 2_000;

  /**
   * The most output characters of all earlier steps together that go into a prompt (abbreviated
   * ones count {@link #STEP_CHARS}); older steps are left out first, the newest always stays.
   */
  static final int HISTORY_CHARS = 8_000;

  private static final String FENCE = "```";

  private PromptBuilder() {}

  static List<ChatMessage> messages(
      Agent agent,
      String renderedPrompt,
      JsonNode processInput,
      JsonNode taskInput,
      InstanceHistory history,
      JsonNode outputSchema,
      PodMemory.Recall recalled) {
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
    if (!recalled.memories().isEmpty()) {
      user.append("\n\n").append(MEMORY_HEADING).append('\n');
      for (RecalledMemory memory : recalled.memories()) {
        user.append("- ").append(memory.content().strip()).append('\n');
      }
    }
    if (!recalled.chunks().isEmpty()) {
      user.append("\n\n").append(DOCUMENTS_HEADING).append('\n');
      for (RecalledChunk chunk : recalled.chunks()) {
        user.append("From \"")
            .append(chunk.title())
            .append("\":\n")
            .append(chunk.content().strip())
            .append("\n\n");
      }
    }
    user.append("\n\n## Context\nProcess input:\n")
        .append(Json.write(processInput))
        .append("\nInput of this step (the previous step's output):\n")
        .append(Json.write(taskInput))
        .append('\n');
    appendHistory(user, history);
    List<ChatMessage> messages = new ArrayList<>();
    String systemText = system.toString().strip();
    if (!systemText.isEmpty()) messages.add(SystemMessage.from(systemText));
    messages.add(UserMessage.from(user.toString()));
    return messages;
  }

  /** The "Earlier steps" block: newest steps first into the budget, printed oldest first. */
  static void appendHistory(StringBuilder user, InstanceHistory history) {
    List<InstanceHistory.DoneStep> steps = history.steps();
    if (steps.isEmpty()) return;
    List<String> kept = new ArrayList<>();
    int used = 0; // output characters; the few per step of heading and notes are not counted
    for (int i = steps.size() - 1; i >= 0; i--) {
      String json = Json.write(steps.get(i).output());
      int cost = Math.min(json.length(), STEP_CHARS);
      if (used + cost > HISTORY_CHARS && !kept.isEmpty()) break;
      kept.add(entry(steps.get(i), json));
      used += cost;
    }
    user.append(HISTORY_HEADING).append('\n');
    int omitted = steps.size() - kept.size();
    if (omitted > 0) {
      user.append("(").append(omitted).append(" earlier step(s) left out for length)\n");
    }
    for (int i = kept.size() - 1; i >= 0; i--) user.append(kept.get(i));
  }

  private static String entry(InstanceHistory.DoneStep step, String json) {
    StringBuilder entry = new StringBuilder("- ").append(step.activityId());
    String name = step.activityName();
    if (name != null && !name.isBlank() && !name.equals(step.activityId())) {
      entry.append(" (").append(name.strip()).append(')');
    }
    if (step.pass() > 1) entry.append(", pass ").append(step.pass());
    entry.append(" output:\n").append(abbreviate(json)).append('\n');
    return entry.toString();
  }

  private static String abbreviate(String json) {
    if (json.length() <= STEP_CHARS) return json;
    int end = STEP_CHARS;
    if (Character.isHighSurrogate(json.charAt(end - 1))) end--;
    return json.substring(0, end) + "… (abbreviated; " + json.length() + " characters in all)";
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
