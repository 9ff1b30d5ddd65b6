package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Starts an instance of another definition as a sub-process of the task, which waits for it: the
 * sub-process output completes the task; a failed or cancelled sub-process fails it for good. The
 * built-in {@code subprocess} orchestrator throws it.
 */
public final class StartSubprocess extends TaskSuspension {
  private final String definitionId;
  private final Integer version;
  private final transient JsonNode input;

  /**
   * @param version the definition version to run, or {@code null} for the latest
   */
  public StartSubprocess(String definitionId, Integer version, JsonNode input) {
    super("starts sub-process " + definitionId);
    this.definitionId = definitionId;
    this.version = version;
    this.input = input;
  }

  public String definitionId() {
    return definitionId;
  }

  public Integer version() {
    return version;
  }

  public JsonNode input() {
    return input;
  }
}
