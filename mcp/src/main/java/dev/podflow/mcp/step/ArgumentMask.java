package dev.podflow.mcp.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.mcp.SecretNames;
import dev.podflow.store.Json;

/**
 * Tool-call arguments as events show them: a value whose field name looks like a credential ({@link
 * SecretNames}) becomes {@code "***"}, at any depth; long strings are cut at 1,000 characters.
 * Stateless.
 */
final class ArgumentMask {
  static final String MASK = "***";

  private static final int MAX_TEXT = 1000;

  private ArgumentMask() {}

  /** The arguments (a JSON text) masked; text that is not JSON is kept as a (cut) string. */
  static JsonNode masked(String argumentsJson) {
    if (argumentsJson == null || argumentsJson.isBlank()) return Json.object();
    JsonNode arguments;
    try {
      arguments = Json.parse(argumentsJson);
    } catch (RuntimeException e) {
      return Json.MAPPER.getNodeFactory().textNode(cut(argumentsJson));
    }
    return masked(arguments);
  }

  static JsonNode masked(JsonNode value) {
    return JsonTree.copy(
        value,
        "",
        (pointer, field, item) -> {
          if (SecretNames.looksSecret(field)) {
            return Json.MAPPER.getNodeFactory().textNode(MASK);
          }
          if (item.isTextual() && item.asText().length() > MAX_TEXT) {
            return Json.MAPPER.getNodeFactory().textNode(cut(item.asText()));
          }
          return null;
        });
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }
}
