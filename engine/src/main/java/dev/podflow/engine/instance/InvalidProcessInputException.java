package dev.podflow.engine.instance;

import dev.podflow.engine.form.FormSchema;
import dev.podflow.store.PodflowException;
import java.util.List;

/**
 * A start's input does not satisfy its definition version's {@code inputSchema}; nothing was
 * written. Each violation points (JSON Pointer, relative to the input) at the offending value; the
 * message names them under {@code /input}, as the start's body holds the input.
 */
public class InvalidProcessInputException extends PodflowException {
  private final List<FormSchema.Violation> violations;

  public InvalidProcessInputException(
      String definitionId, int version, List<FormSchema.Violation> violations) {
    super(
        "the input does not fit the inputSchema of definition '"
            + definitionId
            + "' version "
            + version
            + ": "
            + String.join(
                "; ",
                violations.stream()
                    .map(v -> "/input" + v.pointer() + ": " + v.message())
                    .toList()));
    this.violations = List.copyOf(violations);
  }

  public List<FormSchema.Violation> violations() {
    return violations;
  }
}
