package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the values in a parsed request body that PostgreSQL cannot store as they were sent, so the
 * request is refused before anything is written rather than failing inside the database (a 500) or
 * being stored changed. Valid JSON that is not storable:
 *
 * <ul>
 *   <li>U+0000 (NUL) in a string or a key: {@code jsonb} refuses its escape and {@code text} the
 *       byte;
 *   <li>an unpaired UTF-16 surrogate (an escaped U+D800 alone): it has no UTF-8 encoding;
 *   <li>a number beyond a 64-bit float's range ({@code 1e400}): it would be stored as the string
 *       {@code "Infinity"}.
 * </ul>
 *
 * Keys are checked as well as values, everywhere in the body, including fields a route ignores.
 */
final class StorableJson {
  /** How many offending values a refusal lists; the detail gives the total. */
  static final int MAX_REPORTED = 20;

  private StorableJson() {}

  /**
   * Refuses a body holding anything PostgreSQL cannot store.
   *
   * @throws UnstorableJsonException listing the first {@link #MAX_REPORTED} offending values, each
   *     with the JSON Pointer of its place in the body
   */
  static void require(JsonNode body) {
    List<Problems.FieldError> found = new ArrayList<>();
    walk(body, "", found);
    if (!found.isEmpty()) throw new UnstorableJsonException(found, MAX_REPORTED);
  }

  private static void walk(JsonNode node, String pointer, List<Problems.FieldError> found) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = pointer + "/" + pointerToken(field.getKey());
        String keyProblem = textProblem(field.getKey());
        if (keyProblem != null) found.add(new Problems.FieldError(child, "the key " + keyProblem));
        walk(field.getValue(), child, found);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), pointer + "/" + i, found);
    } else if (node.isTextual()) {
      String problem = textProblem(node.textValue());
      if (problem != null) found.add(new Problems.FieldError(pointer, "the string " + problem));
    } else if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      found.add(
          new Problems.FieldError(
              pointer,
              "the number is beyond the range stored (a 64-bit floating-point number, up to"
                  + " about 1.8e308)"));
    }
  }

  /** What makes text unstorable, or null when it is fine. */
  private static String textProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return "holds U+0000 (\\u0000) at character " + i + ", which PostgreSQL cannot store";
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds an unpaired UTF-16 surrogate (\\u"
            + Integer.toHexString(c)
            + ") at character "
            + i
            + ", which is not Unicode text";
      }
    }
    return null;
  }

  /**
   * A key as an RFC 6901 reference token. An unpaired surrogate shows as U+FFFD, as the answer is
   * UTF-8 and could not carry it.
   */
  private static String pointerToken(String key) {
    StringBuilder token = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '~') {
        token.append("~0");
      } else if (c == '/') {
        token.append("~1");
      } else if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        token.append(c).append(key.charAt(++i));
      } else {
        token.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return token.toString();
  }
}
