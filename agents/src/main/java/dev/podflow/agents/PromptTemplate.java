package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.pod.orchestrator.TaskFailedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt template language of {@code llm-action}, deliberately tiny: {@code {{path}}} is
 * replaced by the value at a dotted path, where the path starts at {@code input} (the task's input:
 * the process input for the first activity, else the previous activity's output) or {@code
 * process.input} (the process input). Strings are inserted as they are, anything else as JSON.
 * Array elements are addressed by index ({@code {{input.items.0}}}). A path that names nothing is
 * an error, not an empty string. There are no conditions, loops or escapes.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

  private PromptTemplate() {}

  /**
   * Renders {@code template}.
   *
   * @throws TaskFailedException (permanent) naming the first placeholder that resolves to nothing
   */
  public static String render(String template, JsonNode input, JsonNode processInput) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = m.group(1);
      JsonNode value = resolve(path, input, processInput);
      if (value == null || value.isMissingNode()) {
        throw TaskFailedException.permanent(
            "prompt placeholder {{"
                + path
                + "}} names nothing: paths start at 'input' or 'process.input' and must exist"
                + " (task input: "
                + abbreviate(input.toString())
                + ")");
      }
      m.appendReplacement(
          out, Matcher.quoteReplacement(value.isTextual() ? value.asText() : value.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode resolve(String path, JsonNode input, JsonNode processInput) {
    String[] parts = path.split("\\.");
    JsonNode node;
    int start;
    if (parts[0].equals("input")) {
      node = input;
      start = 1;
    } else if (parts.length >= 2 && parts[0].equals("process") && parts[1].equals("input")) {
      node = processInput;
      start = 2;
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

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
