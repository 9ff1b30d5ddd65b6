package dev.podflow.mcp.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConditionScope;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.FeelExpression;
import dev.podflow.engine.definition.FeelSyntaxException;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;

/**
 * The {@code arguments} of an {@code mcp} step: a JSON object sent to the tool as it is, except
 * that a string starting with {@code =} (at any depth) is a FEEL expression (Camunda's convention)
 * over {@code input} (the step's input), {@code process.input} and {@code steps.<activity
 * id>.output}, replaced by its value. Write {@code ==} to send a string that starts with {@code =}.
 * Expressions are parsed when the definition is published; one that fails when the step runs (a
 * type error; a missing field is null, not a failure) fails the attempt for good. Stateless.
 */
final class McpArguments {
  private McpArguments() {}

  /** Reports each expression that does not parse, at its pointer under {@code /arguments}. */
  static void check(ConfigCheck check, JsonNode arguments) {
    if (!arguments.isObject()) {
      check.violation("/arguments", "must be a JSON object of the tool's arguments");
      return;
    }
    JsonTree.copy(
        arguments,
        "/arguments",
        (pointer, field, item) -> {
          if (isExpression(item)) {
            try {
              FeelExpression.parse(item.asText().substring(1));
            } catch (FeelSyntaxException e) {
              check.violation(pointer, "is not a FEEL expression after its '=': " + e.detail());
            }
          }
          return null;
        });
  }

  /**
   * The arguments with every expression replaced by its value in {@code scope}.
   *
   * @throws TaskFailedException permanent when an expression fails
   */
  static JsonNode evaluate(JsonNode arguments, ConditionScope scope) {
    return evaluate(arguments, scope, "/arguments");
  }

  /** Whether the arguments hold an expression that reads {@code steps} (worth a query). */
  static boolean readSteps(JsonNode arguments) {
    if (arguments.isContainerNode()) {
      for (JsonNode item : arguments) if (readSteps(item)) return true;
      return false;
    }
    return isExpression(arguments) && arguments.asText().contains("steps");
  }

  private static JsonNode evaluate(JsonNode value, ConditionScope scope, String pointer) {
    return JsonTree.copy(
        value,
        pointer,
        (at, field, item) -> {
          if (!item.isTextual() || !item.asText().startsWith("=")) return null;
          String text = item.asText().substring(1);
          if (text.startsWith("=")) return Json.MAPPER.getNodeFactory().textNode(text);
          FeelExpression.Evaluation result = FeelExpression.parse(text).evaluate(scope);
          if (result.failed()) {
            throw TaskFailedException.permanent(
                "the argument at " + at + " (=" + text + ") failed: " + result.failure());
          }
          return result.json();
        });
  }

  private static boolean isExpression(JsonNode value) {
    return value.isTextual() && value.asText().startsWith("=") && !value.asText().startsWith("==");
  }
}
