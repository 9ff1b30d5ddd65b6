package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The latest DONE pass of an activity in a process instance, as conditions read it: {@code
 * steps.<activity id>} is {@link #toJson()}, so {@code steps.draft.output} is {@link #output()} and
 * {@code steps.draft.pass} its pass number.
 *
 * @param output the task's output; JSON null when it has none
 * @param pass which run of the activity it was: 1, or more when a loop led back to it
 */
public record CompletedStep(JsonNode output, int pass) {
  public CompletedStep {
    if (output == null) output = NullNode.getInstance();
  }

  /** What {@code steps.<activity id>} is in a condition: {@code {"output": …, "pass": n}}. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("output", output);
    json.put("pass", pass);
    return json;
  }
}
