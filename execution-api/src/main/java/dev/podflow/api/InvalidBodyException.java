package dev.podflow.api;

import dev.podflow.store.PodflowException;
import java.util.List;

/**
 * A resource in a request body (an agent profile, an MCP server) breaks the rules: a 422 of {@code
 * type} whose errors each point at one field.
 */
class InvalidBodyException extends PodflowException {
  private final ProblemType type;
  private final String summary;
  private final List<Problems.FieldError> errors;

  /**
   * @param subject what the body describes ("agent", "MCP server"), named in the message
   */
  InvalidBodyException(ProblemType type, String subject, List<Problems.FieldError> errors) {
    super(summary(subject, errors) + ": " + errors);
    this.summary = summary(subject, errors);
    this.type = type;
    this.errors = List.copyOf(errors);
  }

  /** One field's error. */
  InvalidBodyException(ProblemType type, String subject, String pointer, String detail) {
    this(type, subject, List.of(new Problems.FieldError(pointer, detail)));
  }

  private static String summary(String subject, List<Problems.FieldError> errors) {
    return "the "
        + subject
        + " has "
        + errors.size()
        + (errors.size() == 1 ? " problem" : " problems");
  }

  /** "the agent has 2 problems": the problem's detail, before the list of errors. */
  String summary() {
    return summary;
  }

  ProblemType type() {
    return type;
  }

  List<Problems.FieldError> errors() {
    return errors;
  }
}
