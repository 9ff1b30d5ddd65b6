package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.camunda.feel.api.EvaluationFailure;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.api.VariableReference;
import org.camunda.feel.syntaxtree.ParsedExpression;

/**
 * The condition of a transition: a FEEL expression (the DMN standard's expression language, by the
 * Camunda FEEL engine) over {@code output}, {@code process.input} and {@code steps.<activity
 * id>.output} ({@link ConditionScope}). Parsed once, when the definition is read; evaluating it
 * walks the parsed expression.
 *
 * <p>Only the boolean {@code true} takes the transition. {@code false} does not; anything else does
 * not either and is an {@link Outcome#problem() undecided} outcome: {@code null} (a missing field,
 * a comparison of values of different types), a value that is not a boolean, or a failed
 * evaluation. The engine records undecided outcomes as {@code condition_failed} events.
 *
 * <p>FEEL's external (Java) functions stay disabled, which the engine checks when it parses, and
 * conditions see only JSON values ({@link FeelValues}): a condition cannot call Java. Immutable and
 * thread-safe; two conditions are equal when their source texts are.
 */
public final class FeelCondition {
  /** Longest condition text accepted. */
  public static final int MAX_LENGTH = 2000;

  /**
   * Deepest nesting of brackets accepted. FEEL's parser and interpreter recurse per level; 50
   * levels stay far from the stack size of any thread that parses or evaluates conditions.
   */
  public static final int MAX_DEPTH = 50;

  /** Longest reason an undecided outcome carries (FEEL's messages may list a whole output). */
  static final int MAX_PROBLEM_LENGTH = 500;

  /** Built once: the builder's defaults keep external functions off; no custom functions. */
  private static final FeelEngineApi FEEL = FeelEngineBuilder.forJava().build();

  private final String source;
  private final ParsedExpression expression;
  private final Set<String> stepIds;

  private FeelCondition(String source, ParsedExpression expression, Set<String> stepIds) {
    this.source = source;
    this.expression = expression;
    this.stepIds = stepIds;
  }

  /**
   * Parses {@code source} as a FEEL expression.
   *
   * @throws ConditionSyntaxException with FEEL's message (what it expected, at line:column)
   */
  public static FeelCondition parse(String source) {
    if (source == null || source.isBlank()) {
      throw new ConditionSyntaxException(source, "is empty; expected a FEEL expression");
    }
    if (source.length() > MAX_LENGTH) {
      throw new ConditionSyntaxException(
          source, "is longer than " + MAX_LENGTH + " characters (" + source.length() + ")");
    }
    if (depth(source) > MAX_DEPTH) {
      throw new ConditionSyntaxException(
          source, "is nested deeper than " + MAX_DEPTH + " levels of brackets");
    }
    ParseResult parsed;
    try {
      parsed = FEEL.parseExpression(source);
    } catch (StackOverflowError e) { // the parser recurses per nesting level
      throw new ConditionSyntaxException(source, "is nested too deeply");
    }
    if (parsed.isFailure()) {
      throw new ConditionSyntaxException(source, withoutEcho(parsed.failure().message(), source));
    }
    Set<String> stepIds = new TreeSet<>();
    for (VariableReference reference : parsed.getVariableReferences()) {
      List<String> name = reference.getFullQualifiedName();
      if (name.size() >= 2 && name.get(0).equals("steps")) stepIds.add(name.get(1));
    }
    return new FeelCondition(source, parsed.parsedExpression(), Set.copyOf(stepIds));
  }

  /**
   * Whether the condition reads {@code steps}, so its scope needs the instance's completed steps.
   * Errs on the safe side: true whenever the text mentions {@code steps} at all.
   */
  public boolean readsSteps() {
    return source.contains("steps");
  }

  /**
   * The activity ids the condition names as {@code steps.<id>} (or {@code steps.`<id>`}); ids read
   * another way, e.g. {@code get value(steps, "a-b")}, are not among them.
   */
  public Set<String> stepIds() {
    return stepIds;
  }

  /** Evaluates the condition in {@code scope}. Never throws for what the condition does. */
  public Outcome evaluate(ConditionScope scope) {
    EvaluationResult result = FEEL.evaluate(expression, scope);
    if (result.isFailure()) {
      return Outcome.undecided(withoutEcho(result.failure().message(), source));
    }
    Object value = result.result();
    if (Boolean.TRUE.equals(value)) return Outcome.HOLDS;
    if (Boolean.FALSE.equals(value)) return Outcome.DOES_NOT_HOLD;
    String why =
        result.getSuppressedFailures().stream()
            .map(EvaluationFailure::failureMessage)
            .distinct()
            .collect(Collectors.joining("; "));
    return Outcome.undecided(
        "is " + describe(value) + ", not true or false" + (why.isEmpty() ? "" : " (" + why + ")"));
  }

  /** The text the condition was parsed from; it is also its JSON form. */
  @JsonValue
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeelCondition other && other.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * What one evaluation decided.
   *
   * @param holds true only when the condition evaluated to {@code true}
   * @param problem why the condition is neither true nor false; null when it is one of them
   */
  public record Outcome(boolean holds, String problem) {
    static final Outcome HOLDS = new Outcome(true, null);
    static final Outcome DOES_NOT_HOLD = new Outcome(false, null);

    static Outcome undecided(String problem) {
      return new Outcome(
          false,
          problem.length() <= MAX_PROBLEM_LENGTH
              ? problem
              : problem.substring(0, MAX_PROBLEM_LENGTH - 1) + "…");
    }
  }

  private static String describe(Object value) {
    String kind =
        switch (value) {
          case null -> null;
          case String s -> "the string ";
          case Number n -> "the number ";
          case Collection<?> c -> "the list ";
          case Map<?, ?> m -> "the context ";
          default -> "the value ";
        };
    if (kind == null) return "null";
    String text = value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    return kind + (text.length() <= 80 ? text : text.substring(0, 79) + "…");
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
