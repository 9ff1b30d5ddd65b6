package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The latest DONE pass of an activity in a process instance, as conditions read it: {@code
 * steps.<activity id>} is {@link #toJson()}, so {@code steps.draft.output} is {@link #output()}. A
 * field added here (a pass number, say) is one more component and one more line in {@code toJson}.
 *
 * @param output the task's output; JSON null when it has none
 */
public record CompletedStep(JsonNode output) {
  public CompletedStep {
    if (output == null) output = NullNode.getInstance();
  }

  /** What {@code steps.<activity id>} is in a condition: {@code {"output": …}}. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("output", output);
    return json;
  }
}
