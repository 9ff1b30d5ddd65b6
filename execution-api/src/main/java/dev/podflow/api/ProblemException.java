package dev.podflow.api;

import dev.podflow.store.PodflowException;

/**
 * A request refused with a problem of the API's own {@code type} and a detail that says why: a name
 * not found, a name already taken, a store not configured. Exceptions of the engine and the store
 * keep their own classes and are mapped in {@link Problems}.
 */
class ProblemException extends PodflowException {
  private final ProblemType type;

  ProblemException(ProblemType type, String detail) {
    super(detail);
    this.type = type;
  }

  /**
   * No resource of the caller's tenant has {@code key}; another tenant's answers the same, so none
   * is revealed.
   *
   * @param what what was looked for, as the detail says it ("agent with id", "MCP server")
   */
  static ProblemException notFound(ProblemType type, String what, String key) {
    return new ProblemException(type, "no " + what + " " + Problems.echo(key));
  }

  ProblemType type() {
    return type;
  }
}
