package dev.podflow.api;

import dev.podflow.store.PodflowException;
import java.util.List;

/** An agent profile in a request body breaks the rules; each error points at one field. */
class InvalidAgentException extends PodflowException {
  private final List<Problems.FieldError> errors;

  InvalidAgentException(List<Problems.FieldError> errors) {
    super(
        "the agent has "
            + errors.size()
            + (errors.size() == 1 ? " problem: " : " problems: ")
            + errors);
    this.errors = List.copyOf(errors);
  }

  List<Problems.FieldError> errors() {
    return errors;
  }
}
