package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.List;

/**
 * An activity's {@code outputSchema} (JSON Schema, 2020-12 unless it names another draft), checked
 * once per run. It goes through {@link FormSchema}, as human tasks' forms do, so a {@code $ref} to
 * anything but the schema itself fails instead of fetching from the network.
 */
final class OutputSchema {
  private final JsonNode schema;

  private OutputSchema(JsonNode schema) {
    this.schema = schema;
  }

  /**
   * @throws TaskFailedException (permanent) when the schema itself is not usable
   */
  static OutputSchema compile(JsonNode schema) {
    if (!schema.isObject()) {
      throw TaskFailedException.permanent(
          "llm-action config 'outputSchema' must be a JSON Schema object, got " + schema);
    }
    List<FormSchema.Violation> violations = FormSchema.check(schema);
    if (!violations.isEmpty()) {
      throw TaskFailedException.permanent(
          "llm-action config 'outputSchema' is not a usable JSON Schema: "
              + String.join("; ", describe(violations, "the schema")));
    }
    return new OutputSchema(schema);
  }

  /**
   * What is wrong with {@code answer} (the model's text): empty when it is JSON that matches. A
   * fenced block ({@code ```json … ```}) is unwrapped first.
   */
  Result check(String answer) {
    String text = unfence(answer == null ? "" : answer.strip());
    JsonNode value;
    try {
      value = dev.podflow.store.Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return new Result(null, List.of("the answer is not JSON: " + firstLine(e.getMessage())));
    }
    if (value == null || value.isMissingNode()) {
      return new Result(null, List.of("the answer is empty; a JSON object was expected"));
    }
    return new Result(value, describe(FormSchema.validate(schema, value), "the answer"));
  }

  /** "pointer: message" each, {@code root} naming the document where the pointer is empty. */
  private static List<String> describe(List<FormSchema.Violation> violations, String root) {
    return violations.stream()
        .map(v -> (v.pointer().isEmpty() ? root : v.pointer()) + ": " + v.message())
        .toList();
  }

  record Result(JsonNode value, List<String> errors) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  private static String unfence(String text) {
    if (!text.startsWith("```")) return text;
    int firstNewline = text.indexOf('\n');
    int closing = text.lastIndexOf("```");
    if (firstNewline < 0 || closing <= firstNewline) return text;
    return text.substring(firstNewline + 1, closing).strip();
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
