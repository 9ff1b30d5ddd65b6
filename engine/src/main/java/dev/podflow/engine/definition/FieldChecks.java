package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of single JSON fields that definitions ({@link DefinitionParser}) and orchestrator
 * configs ({@link ConfigCheck}) share, so each message is worded in one place. Each records a
 * {@link Violation} at {@code at + "/" + field} and returns what it read. Stateless.
 */
final class FieldChecks {
  private FieldChecks() {}

  /** Escapes a field name for use in a JSON Pointer (RFC 6901). */
  static String pointerToken(String field) {
    return field.replace("~", "~0").replace("/", "~1");
  }

  static void unknownFields(
      JsonNode json, Set<String> known, String at, List<Violation> violations) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        violations.add(
            new Violation(
                at + "/" + pointerToken(field),
                "is not a known field; known: " + known.stream().sorted().toList()));
      }
    }
  }

  static String requiredId(
      JsonNode json, String field, String at, Pattern pattern, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      violations.add(new Violation(at + "/" + field, "is required"));
      return null;
    }
    if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
      violations.add(
          new Violation(at + "/" + field, "must be a string matching " + pattern.pattern()));
      return null;
    }
    return value.asText();
  }

  static String optionalText(JsonNode json, String field, String at, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
      violations.add(
          new Violation(at + "/" + field, "must be a non-blank string of at most 200 characters"));
      return null;
    }
    return value.asText();
  }

  static int optionalInt(
      JsonNode json,
      String field,
      String at,
      int min,
      int max,
      int fallback,
      List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      violations.add(
          new Violation(at + "/" + field, "must be a whole number from " + min + " to " + max));
      return fallback;
    }
    return value.asInt();
  }
}
