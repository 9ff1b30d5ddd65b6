package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template language of prompts ({@code llm-action}, {@code deep-research}) and of messages to
 * other agents ({@code a2a}), deliberately tiny: {@code {{path}}} is replaced by the value at a
 * dotted path, where the path starts at {@code input} (the task's input: the process input for the
 * first activity, else the previous activity's output), {@code process.input} (the process input)
 * or {@code steps.<activityId>.output} (the output of the latest DONE task of that activity in this
 * instance). Strings are inserted as they are, anything else as JSON. Array elements are addressed
 * by index ({@code {{input.items.0}}}). A path that names nothing is an error, not an empty string.
 * There are no conditions, loops or escapes. The one place that knows the syntax: {@link #check}
 * reads templates at publish as {@link #render} does when a task runs.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

  private PromptTemplate() {}

  /**
   * Checks the template in config {@code field} at publish: a non-blank string whose placeholders
   * start at {@code input}, {@code process.input} or {@code steps.<activity id>.output}, where that
   * activity exists and can run before this one (once the definition's graph is valid). {@code
   * what} says what the template is, for the error of a missing one ("the prompt template").
   */
  public static void check(ConfigCheck check, String field, String what) {
    String template = check.requiredText(field, what);
    if (template == null) return;
    check.onceGraphIsValid(
        (self, graph) -> {
          Matcher m = PLACEHOLDER.matcher(template);
          while (m.find()) {
            String problem = placeholderProblem(m.group(1), self, graph);
            if (problem != null) {
              check.violation("/" + field, "placeholder {{" + m.group(1) + "}} " + problem);
            }
          }
        });
  }

  private static String placeholderProblem(String path, Activity self, ProcessDefinition graph) {
    if (path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      return "has an empty segment";
    }
    if (path.equals("input") || path.startsWith("input.")) return null;
    if (path.equals("process.input") || path.startsWith("process.input.")) return null;
    if (!path.startsWith("steps.")) {
      return "has an unknown root; placeholders start with input, process.input or"
          + " steps.<activity id>.output";
    }
    String rest = path.substring("steps.".length());
    String step = null;
    for (Activity candidate : graph.activities()) { // ids may contain dots: take the longest
      String id = candidate.id();
      if ((rest.equals(id + ".output") || rest.startsWith(id + ".output."))
          && (step == null || id.length() > step.length())) {
        step = id;
      }
    }
    if (step == null) {
      for (Activity candidate : graph.activities()) {
        if (rest.equals(candidate.id()) || rest.startsWith(candidate.id() + ".")) {
          return "must go on with .output after the activity id: {{steps."
              + candidate.id()
              + ".output…}}";
        }
      }
      return "names an unknown activity; known: "
          + graph.activities().stream().map(Activity::id).sorted().toList();
    }
    if (step.equals(self.id()) && !graph.inLoop(self.id())) {
      return "refers to this activity's own output, which does not exist while it runs";
    }
    if (!graph.canReach(step, self.id())) {
      return "refers to activity '"
          + step
          + "', which never runs before this one (no path of transitions leads from it here)";
    }
    return null;
  }

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
            "placeholder {{"
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
   * segments name the longest activity id with a DONE task (activity ids may contain dots; {@link
   * #check} reads them the same way).
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
          "placeholder {{"
              + path
              + "}} names nothing: a step's output is read as {{steps.<activityId>.output}} or"
              + " {{steps.<activityId>.output.<field>}}");
    }
    throw TaskFailedException.permanent(
        "placeholder {{"
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
