package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

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
 * <p>Parsing and its limits are {@link FeelExpression}'s. Immutable and thread-safe; two conditions
 * are equal when their source texts are.
 */
public final class FeelCondition {
  /** Longest reason an undecided outcome carries (FEEL's messages may list a whole output). */
  static final int MAX_PROBLEM_LENGTH = 500;

  private final FeelExpression expression;

  private FeelCondition(FeelExpression expression) {
    this.expression = expression;
  }

  /**
   * Parses {@code source} as a FEEL expression.
   *
   * @throws FeelSyntaxException with FEEL's message (what it expected, at line:column)
   */
  public static FeelCondition parse(String source) {
    return new FeelCondition(FeelExpression.parse(source));
  }

  /**
   * Whether the condition reads {@code steps}, so its scope needs the instance's completed steps.
   * Errs on the safe side: true whenever the text mentions {@code steps} at all.
   */
  public boolean readsSteps() {
    return expression.readsSteps();
  }

  /**
   * The activity ids the condition names as {@code steps.<id>} (or {@code steps.`<id>`}); ids read
   * another way, e.g. {@code get value(steps, "a-b")}, are not among them.
   */
  public Set<String> stepIds() {
    return expression.stepIds();
  }

  /** Evaluates the condition in {@code scope}. Never throws for what the condition does. */
  public Outcome evaluate(ConditionScope scope) {
    FeelExpression.Evaluation result = expression.evaluate(scope);
    if (result.failed()) return Outcome.undecided(result.failure());
    Object value = result.value();
    if (Boolean.TRUE.equals(value)) return Outcome.HOLDS;
    if (Boolean.FALSE.equals(value)) return Outcome.DOES_NOT_HOLD;
    String why = String.join("; ", result.suppressedFailures());
    return Outcome.undecided(
        "is " + describe(value) + ", not true or false" + (why.isEmpty() ? "" : " (" + why + ")"));
  }

  /** The text the condition was parsed from; it is also its JSON form. */
  @JsonValue
  public String source() {
    return expression.source();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeelCondition other && other.source().equals(source());
  }

  @Override
  public int hashCode() {
    return source().hashCode();
  }

  @Override
  public String toString() {
    return source();
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
}
