package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of a resource's JSON body (an agent profile, an MCP server), adding one {@link
 * Problems.FieldError} per wrong field to a list, so that a request is refused with every problem
 * at once rather than the first. Stateless.
 */
final class BodyFields {
  private BodyFields() {}

  /** An error for each field of {@code body} not in {@code allowed}. */
  static void refuseUnknown(
      ObjectNode body, Set<String> allowed, List<Problems.FieldError> errors) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!allowed.contains(field)) {
        errors.add(
            new Problems.FieldError(
                "/" + field, "unknown field; allowed: " + allowed.stream().sorted().toList()));
      }
    }
  }

  /**
   * The string {@code field} of {@code body}: null when absent or JSON null (an error if {@code
   * required}), or when it is not a string, blank though required, or longer than {@code limit}
   * (each an error).
   */
  static String text(
      ObjectNode body,
      String field,
      boolean required,
      int limit,
      List<Problems.FieldError> errors) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) errors.add(new Problems.FieldError("/" + field, "is required"));
      return null;
    }
    if (!value.isTextual()) {
      errors.add(
          new Problems.FieldError(
              "/" + field, "must be a string, got " + value.getNodeType().name().toLowerCase()));
      return null;
    }
    String text = value.asText();
    if (required && text.isBlank()) {
      errors.add(new Problems.FieldError("/" + field, "must not be blank"));
      return null;
    }
    if (text.length() > limit) {
      errors.add(new Problems.FieldError("/" + field, "must be at most " + limit + " characters"));
      return null;
    }
    return text;
  }
}
