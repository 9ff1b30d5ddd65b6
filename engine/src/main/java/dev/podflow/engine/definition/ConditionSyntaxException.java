package dev.podflow.engine.definition;

import dev.podflow.store.PodflowException;

/**
 * A condition of a transition could not be parsed. {@link #detail()} says where (1-based column)
 * and what was expected; the message also quotes the condition.
 */
public class ConditionSyntaxException extends PodflowException {
  private final int column;
  private final String detail;

  ConditionSyntaxException(String source, int column, String detail) {
    super("invalid condition " + quote(source) + ": " + detail);
    this.column = column;
    this.detail = detail;
  }

  /** 1-based column of the problem in the condition's text. */
  public int column() {
    return column;
  }

  /** For example {@code "at column 12: expected a value …, found '&&'"}. */
  public String detail() {
    return detail;
  }

  private static String quote(String source) {
    if (source == null) return "null";
    return "'" + (source.length() <= 200 ? source : source.substring(0, 200) + "…") + "'";
  }
}
