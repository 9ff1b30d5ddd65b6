package dev.podflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.definition.InvalidDefinitionException;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.Json;
import java.util.List;

/** Process definition fixtures, as the JSON the API takes. */
public final class Definitions {
  private Definitions() {}

  /**
   * Activities {@code a1, a2, …} run one after another with the given orchestrators and empty
   * configs.
   */
  public static ObjectNode linear(String id, String... orchestrators) {
    ObjectNode definition = Json.object().put("id", id).put("name", "Fixture " + id);
    ArrayNode activities = definition.putArray("activities");
    for (int i = 0; i < orchestrators.length; i++) {
      activities
          .addObject()
          .put("id", "a" + (i + 1))
          .put("orchestrator", orchestrators[i])
          .putObject("config");
    }
    return definition;
  }

  /** One {@code sleep} activity that sleeps {@code ms}, with {@code maxAttempts}. */
  public static ObjectNode sleeping(String id, long ms, int maxAttempts) {
    ObjectNode definition = Json.object().put("id", id);
    definition
        .putArray("activities")
        .addObject()
        .put("id", "nap")
        .put("orchestrator", "sleep")
        .put("maxAttempts", maxAttempts)
        .putObject("config")
        .put("ms", ms);
    return definition;
  }

  /** Gives every activity a backoff of 20 to 100 ms, so retries happen within a test's patience. */
  public static ObjectNode withFastRetries(ObjectNode definition) {
    for (JsonNode activity : definition.withArray("activities")) {
      ((ObjectNode) activity)
          .putObject("backoff")
          .put("initialSeconds", 0.02)
          .put("maxSeconds", 0.1);
    }
    return definition;
  }

  /** Every problem {@code parser} finds in {@code json}, which it must refuse. */
  public static List<Violation> violations(DefinitionParser parser, String json) {
    try {
      parser.parse(Json.parse(json));
    } catch (InvalidDefinitionException e) {
      return e.violations();
    }
    throw new AssertionError("expected the definition to be refused: " + json);
  }

  public static JsonNode input(String key, Object value) {
    return Json.MAPPER.valueToTree(java.util.Map.of(key, value));
  }
}
