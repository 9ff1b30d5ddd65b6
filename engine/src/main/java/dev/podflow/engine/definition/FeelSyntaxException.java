package dev.podflow.engine.definition;

import dev.podflow.store.PodflowException;

/**
 * A text is not a FEEL expression the engine accepts (a transition's condition, an argument of an
 * {@code mcp} step). {@link #detail()} is FEEL's account (what it expected, at line:column) or the
 * engine's (empty, too long); the message also quotes the text.
 */
public class FeelSyntaxException extends PodflowException {
  private final String detail;

  FeelSyntaxException(String source, String detail) {
    super("invalid FEEL expression " + quote(source) + ": " + detail);
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
