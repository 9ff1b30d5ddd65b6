package dev.podflow.mcp.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.store.Json;

/** Copies of JSON trees with some values replaced, for tool arguments. Stateless. */
final class JsonTree {
  /** Decides one value of the tree: its replacement, or null to keep it (and copy inside it). */
  @FunctionalInterface
  interface Replacer {
    /**
     * @param pointer where the value is, e.g. {@code /arguments/to/0}
     * @param field the name of the object field holding it; null for an array item or the root
     */
    JsonNode replace(String pointer, String field, JsonNode value);
  }

  private JsonTree() {}

  /** A copy of {@code value} (found at {@code pointer}) with what {@code replacer} replaces. */
  static JsonNode copy(JsonNode value, String pointer, Replacer replacer) {
    return copy(value, pointer, null, replacer);
  }

  private static JsonNode copy(JsonNode value, String pointer, String field, Replacer replacer) {
    JsonNode replaced = replacer.replace(pointer, field, value);
    if (replaced != null) return replaced;
    if (value.isObject()) {
      ObjectNode copy = Json.object();
      value
          .fields()
          .forEachRemaining(
              entry -> {
                String at = pointer + "/" + ConfigCheck.pointerToken(entry.getKey());
                copy.set(entry.getKey(), copy(entry.getValue(), at, entry.getKey(), replacer));
              });
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = Json.MAPPER.createArrayNode();
      for (int i = 0; i < value.size(); i++) {
        copy.add(copy(value.get(i), pointer + "/" + i, null, replacer));
      }
      return copy;
    }
    return value;
  }
}
