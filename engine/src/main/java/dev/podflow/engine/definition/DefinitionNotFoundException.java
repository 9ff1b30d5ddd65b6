package dev.podflow.engine.definition;

import dev.podflow.store.PodflowException;

/** No definition (or no such version of it) is stored under the id. */
public class DefinitionNotFoundException extends PodflowException {
  private final String definitionId;

  public DefinitionNotFoundException(String definitionId, Integer version) {
    super(
        version == null
            ? "no process definition with id '" + definitionId + "'"
            : "process definition '" + definitionId + "' has no version " + version);
    this.definitionId = definitionId;
  }

  public String definitionId() {
    return definitionId;
  }
}
