package dev.podflow.engine.definition;

import dev.podflow.store.PodflowException;
import java.util.List;

/** A definition was rejected; each violation points (JSON Pointer) at the offending field. */
public class InvalidDefinitionException extends PodflowException {
  /** One problem: where it is and what is wrong. */
  public record Violation(String pointer, String message) {
    @Override
    public String toString() {
      return pointer + ": " + message;
    }
  }

  private final List<Violation> violations;

  public InvalidDefinitionException(List<Violation> violations) {
    super(
        "invalid process definition: "
            + String.join("; ", violations.stream().map(Violation::toString).toList()));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
