package dev.podflow.engine.definition;

import dev.podflow.store.PodflowException;

/**
 * A condition of a transition is not a FEEL expression the engine accepts. {@link #detail()} is
 * FEEL's account (what it expected, at line:column) or the engine's (empty, too long); the message
 * also quotes the condition.
 */
public class ConditionSyntaxException extends PodflowException {
  private final String detail;

  ConditionSyntaxException(String source, String detail) {
    super("invalid condition " + quote(source) + ": " + detail);
    this.detail = detail;
  }

  /** For example {@code Expected (…):1:14, found "> "}. */
  public String detail() {
    return detail;
  }

  private static String quote(String source) {
    if (source == null) return "null";
    return "'" + (source.length() <= 200 ? source : source.substring(0, 200) + "…") + "'";
  }
}
