package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One step of a process definition.
 *
 * @param id unique within the definition
 * @param name for people; defaults to the id
 * @param orchestrator the plug-in that runs the step (for example {@code noop}, {@code sleep})
 * @param config the orchestrator's settings, an object
 * @param next the activities that follow; null means "the next one in the list"
 * @param maxAttempts how many times the step may be tried
 * @param priority lower runs first among due tasks
 * @param timeoutSeconds an attempt running longer is interrupted and counts as failed
 * @param backoff the wait between failed attempts
 */
public record Activity(
    String id,
    String name,
    String orchestrator,
    JsonNode config,
    List<String> next,
    int maxAttempts,
    int priority,
    int timeoutSeconds,
    Backoff backoff) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_PRIORITY = 0;
  public static final int DEFAULT_TIMEOUT_SECONDS = 3600;
  public static final int MAX_TIMEOUT_SECONDS = 86_400;
}
