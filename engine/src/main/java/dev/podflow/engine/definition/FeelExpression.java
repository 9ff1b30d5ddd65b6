package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.api.VariableReference;
import org.camunda.feel.syntaxtree.ParsedExpression;

/**
 * A FEEL expression (the DMN standard's expression language, by the Camunda FEEL engine), parsed
 * once and evaluated over JSON values ({@link ConditionScope}): a transition's condition ({@link
 * FeelCondition}) or an {@code =}-argument of an {@code mcp} step.
 *
 * <p>FEEL's external (Java) functions stay disabled (the builder's default) and expressions see
 * only JSON values ({@link FeelValues}): an expression cannot call Java. Immutable and thread-safe.
 */
public final class FeelExpression {
  /** Longest expression text accepted. */
  public static final int MAX_LENGTH = 2000;

  /**
   * Deepest nesting of brackets accepted. FEEL's parser and interpreter recurse per level; 50
   * levels stay far from the stack size of any thread that parses or evaluates expressions.
   */
  public static final int MAX_DEPTH = 50;

  /** Built once: the builder's defaults keep external functions off; no custom functions. */
  private static final FeelEngineApi FEEL = FeelEngineBuilder.forJava().build();

  private final String source;
  private final ParsedExpression expression;
  private final Set<String> stepIds;

  private FeelExpression(String source, ParsedExpression expression, Set<String> stepIds) {
    this.source = source;
    this.expression = expression;
    this.stepIds = stepIds;
  }

  /** One evaluation: FEEL's result (a Java value, null for FEEL null) or why it failed. */
  public record Evaluation(Object value, String failure, List<String> suppressedFailures) {
    public boolean failed() {
      return failure != null;
    }

    /** The value as JSON: numbers, strings, booleans, lists and contexts as such; null as null. */
    public JsonNode json() {
      return Json.MAPPER.valueToTree(value);
    }
  }

  /**
   * Parses {@code source} as a FEEL expression.
   *
   * @throws FeelSyntaxException with FEEL's message (what it expected, at line:column)
   */
  public static FeelExpression parse(String source) {
    if (source == null || source.isBlank()) {
      throw new FeelSyntaxException(source, "is empty; expected a FEEL expression");
    }
    if (source.length() > MAX_LENGTH) {
      throw new FeelSyntaxException(
          source, "is longer than " + MAX_LENGTH + " characters (" + source.length() + ")");
    }
    if (depth(source) > MAX_DEPTH) {
      throw new FeelSyntaxException(
          source, "is nested deeper than " + MAX_DEPTH + " levels of brackets");
    }
    ParseResult parsed;
    try {
      parsed = FEEL.parseExpression(source);
    } catch (StackOverflowError e) { // the parser recurses per nesting level
      throw new FeelSyntaxException(source, "is nested too deeply");
    }
    if (parsed.isFailure()) {
      throw new FeelSyntaxException(source, withoutEcho(parsed.failure().message(), source));
    }
    Set<String> stepIds = new TreeSet<>();
    for (VariableReference reference : parsed.getVariableReferences()) {
      List<String> name = reference.getFullQualifiedName();
      if (name.size() >= 2 && name.get(0).equals("steps")) stepIds.add(name.get(1));
    }
    return new FeelExpression(source, parsed.parsedExpression(), Set.copyOf(stepIds));
  }

  /** Whether the expression mentions {@code steps} at all (errs on the safe side). */
  public boolean readsSteps() {
    return source.contains("steps");
  }

  /**
   * The activity ids the expression names as {@code steps.<id>} (or {@code steps.`<id>`}); ids read
   * another way, e.g. {@code get value(steps, "a-b")}, are not among them.
   */
  public Set<String> stepIds() {
    return stepIds;
  }

  /** Evaluates the expression in {@code scope}. Never throws for what the expression does. */
  public Evaluation evaluate(ConditionScope scope) {
    EvaluationResult result = FEEL.evaluate(expression, scope);
    List<String> suppressed =
        result.getSuppressedFailures().stream()
            .map(org.camunda.feel.api.EvaluationFailure::failureMessage)
            .distinct()
            .toList();
    if (result.isFailure()) {
      return new Evaluation(null, withoutEcho(result.failure().message(), source), suppressed);
    }
    return new Evaluation(result.result(), null, suppressed);
  }

  /** The text the expression was parsed from. */
  public String source() {
    return source;
  }

  /** The deepest nesting of ( [ { outside strings and backtick names. */
  private static int depth(String source) {
    int depth = 0;
    int deepest = 0;
    char quote = 0;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') i++;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
    return deepest;
  }

  /** FEEL's messages repeat the whole expression; the condition is quoted next to them anyway. */
  private static String withoutEcho(String message, String source) {
    for (String prefix :
        List.of(
            "failed to parse expression '" + source + "': ",
            "validation of expression '" + source + "' failed: ",
            "failed to evaluate expression '" + source + "': ",
            "failed to evaluate expression '" + source + "' : ")) {
      if (message.startsWith(prefix)) return message.substring(prefix.length());
    }
    return message;
  }
}
