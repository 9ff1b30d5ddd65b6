package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.List;
import java.util.Set;

/** An activity's {@code outputSchema} (JSON Schema 2020-12), compiled once per run. */
final class OutputSchema {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private final JsonSchema schema;

  private OutputSchema(JsonSchema schema) {
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
    try {
      return new OutputSchema(FACTORY.getSchema(schema));
    } catch (RuntimeException e) {
      throw TaskFailedException.permanent(
          "llm-action config 'outputSchema' is not a usable JSON Schema: " + e.getMessage());
    }
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
    Set<ValidationMessage> messages = schema.validate(value);
    return new Result(
        value, messages.stream().map(ValidationMessage::getMessage).sorted().toList());
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
