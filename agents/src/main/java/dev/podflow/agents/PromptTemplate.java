package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt template language of {@code llm-action}, deliberately tiny: {@code {{path}}} is
 * replaced by the value at a dotted path, where the path starts at {@code input} (the task's input:
 * the process input for the first activity, else the previous activity's output), {@code
 * process.input} (the process input) or {@code steps.<activityId>.output} (the output of the latest
 * DONE task of that activity in this instance). Strings are inserted as they are, anything else as
 * JSON. Array elements are addressed by index ({@code {{input.items.0}}}). A path that names
 * nothing is an error, not an empty string. There are no conditions, loops or escapes.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

  private PromptTemplate() {}

  /**
   * Renders {@code template}.
   *
   * @param stepOutputs activity id → the output of its latest DONE task in this instance
   * @throws TaskFailedException (permanent) naming the first placeholder that resolves to nothing
   */
  public static String render(
      String template, JsonNode input, JsonNode processInput, Map<String, JsonNode> stepOutputs) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = m.group(1);
      JsonNode value = resolve(path, input, processInput, stepOutputs);
      if (value == null || value.isMissingNode()) {
        throw TaskFailedException.permanent(
            "prompt placeholder {{"
                + path
                + "}} names nothing: paths start at 'input', 'process.input' or"
                + " 'steps.<activityId>.output' and must exist (task input: "
                + abbreviate(input.toString())
                + ")");
      }
      m.appendReplacement(
          out, Matcher.quoteReplacement(value.isTextual() ? value.asText() : value.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode resolve(
      String path, JsonNode input, JsonNode processInput, Map<String, JsonNode> stepOutputs) {
    String[] parts = path.split("\\.");
    JsonNode node;
    int start;
    if (parts[0].equals("input")) {
      node = input;
      start = 1;
    } else if (parts.length >= 2 && parts[0].equals("process") && parts[1].equals("input")) {
      node = processInput;
      start = 2;
    } else if (parts[0].equals("steps")) {
      start = stepStart(path, parts, stepOutputs);
      node = stepOutputs.get(String.join(".", Arrays.copyOfRange(parts, 1, start - 1)));
    } else {
      return null;
    }
    for (int i = start; i < parts.length && node != null; i++) {
      node =
          node.isArray() && parts[i].matches("\\d+")
              ? node.get(Integer.parseInt(parts[i]))
              : node.get(parts[i]);
    }
    return node;
  }

  /**
   * Where the path inside a step's output starts: after the {@code output} segment whose preceding
   * segments name the longest activity id with a DONE task (activity ids may contain dots; the
   * definition parser reads them the same way).
   */
  private static int stepStart(String path, String[] parts, Map<String, JsonNode> stepOutputs) {
    String firstCandidate = null;
    for (int k = parts.length - 1; k >= 2; k--) {
      if (!parts[k].equals("output")) continue;
      String activityId = String.join(".", Arrays.copyOfRange(parts, 1, k));
      if (stepOutputs.containsKey(activityId)) return k + 1;
      if (firstCandidate == null) firstCandidate = activityId;
    }
    if (firstCandidate == null) {
      throw TaskFailedException.permanent(
          "prompt placeholder {{"
              + path
              + "}} names nothing: a step's output is read as {{steps.<activityId>.output}} or"
              + " {{steps.<activityId>.output.<field>}}");
    }
    throw TaskFailedException.permanent(
        "prompt placeholder {{"
            + path
            + "}} names nothing: activity '"
            + firstCandidate
            + "' has no DONE task in this instance yet (done so far: "
            + (stepOutputs.isEmpty() ? "none" : String.join(", ", stepOutputs.keySet()))
            + ")");
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
