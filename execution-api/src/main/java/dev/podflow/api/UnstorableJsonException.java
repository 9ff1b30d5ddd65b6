package dev.podflow.api;

import dev.podflow.store.PodflowException;
import java.util.List;

/**
 * A request body is valid JSON but holds values PostgreSQL cannot store (see {@link StorableJson});
 * each error points at one of them.
 */
class UnstorableJsonException extends PodflowException {
  private final List<Problems.FieldError> errors;

  UnstorableJsonException(List<Problems.FieldError> found, int maxReported) {
    super(
        "the request body holds "
            + found.size()
            + (found.size() == 1 ? " value" : " values")
            + " that cannot be stored"
            + (found.size() > maxReported ? "; errors lists the first " + maxReported : ""));
    this.errors = List.copyOf(found.subList(0, Math.min(found.size(), maxReported)));
  }

  List<Problems.FieldError> errors() {
    return errors;
  }
}
