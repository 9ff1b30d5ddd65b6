package dev.podflow.engine.suspension;

import dev.podflow.engine.form.FormSchema;
import dev.podflow.store.PodflowException;
import java.util.List;

/**
 * A person's answer does not satisfy the task's form; nothing was changed. Each violation points
 * (JSON Pointer, relative to the answer) at the offending value.
 */
public class FormViolationException extends PodflowException {
  private final List<FormSchema.Violation> violations;

  public FormViolationException(long taskId, List<FormSchema.Violation> violations) {
    super(
        "the answer to task "
            + taskId
            + " does not fit its form: "
            + String.join(
                "; ",
                violations.stream()
                    .map(v -> (v.pointer().isEmpty() ? "(root)" : v.pointer()) + " " + v.message())
                    .toList()));
    this.violations = List.copyOf(violations);
  }

  public List<FormSchema.Violation> violations() {
    return violations;
  }
}
