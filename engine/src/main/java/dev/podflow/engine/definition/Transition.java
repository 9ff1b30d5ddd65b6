package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of an activity's {@code next}: the activity {@code to} runs after this one when the
 * transition is taken. A plain transition ({@code when == null}, not {@code otherwise}) is always
 * taken; a {@code when} transition when its condition holds; an {@code otherwise} transition when
 * no {@code when} transition of the same activity holds. Its JSON form is the target id for a plain
 * transition, else {@code {"to": …, "when": "…"}} or {@code {"to": …, "otherwise": true}}.
 */
public record Transition(String to, FeelCondition when, boolean otherwise) {

  public Transition {
    if (to == null) throw new IllegalArgumentException("a transition needs a target activity");
    if (when != null && otherwise) {
      throw new IllegalArgumentException("a transition has either a condition or otherwise");
    }
  }

  /** Always taken. */
  public static Transition always(String to) {
    return new Transition(to, null, false);
  }

  /** Taken when {@code condition} holds. */
  public static Transition when(String to, FeelCondition condition) {
    if (condition == null) throw new IllegalArgumentException("condition is required");
    return new Transition(to, condition, false);
  }

  /** Taken when no {@code when} transition of the same activity holds. */
  public static Transition otherwise(String to) {
    return new Transition(to, null, true);
  }

  /** True unless the transition is always taken. */
  public boolean conditional() {
    return when != null || otherwise;
  }

  /** The JSON form, which {@link DefinitionParser} reads back to an equal transition. */
  @JsonValue
  public JsonNode toJson() {
    if (!conditional()) return JsonNodeFactory.instance.textNode(to);
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("to", to);
    if (when != null) json.put("when", when.source());
    else json.put("otherwise", true);
    return json;
  }
}
