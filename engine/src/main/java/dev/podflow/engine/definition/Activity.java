package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.podflow.store.task.NewTask;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * One step of a process definition.
 *
 * @param id unique within the definition
 * @param name for people; defaults to the id
 * @param orchestrator the plug-in that runs the step (for example {@code noop}, {@code sleep})
 * @param config the orchestrator's settings, an object
 * @param next the transitions to the activities that may follow; null means "the next one in the
 *     list" (always taken)
 * @param maxAttempts how many times the step may be tried
 * @param priority lower runs first among due tasks
 * @param timeoutSeconds an attempt running longer is interrupted and counts as failed
 * @param backoff the wait between failed attempts
 * @param maxPasses how many times the step may run in one instance when a loop leads back to it;
 *     the pass after the last ends the instance in ERROR
 * @param join true for {@code "join": "all"}: the step starts once every branch that can still
 *     reach it has arrived (see {@link ProcessDefinition#canReach}); false when it starts on every
 *     arrival
 */
public record Activity(
    String id,
    String name,
    String orchestrator,
    JsonNode config,
    List<Transition> next,
    int maxAttempts,
    int priority,
    int timeoutSeconds,
    Backoff backoff,
    int maxPasses,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonSerialize(using = JoinJson.class)
        boolean join) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_PRIORITY = 0;
  public static final int DEFAULT_TIMEOUT_SECONDS = 3600;
  public static final int MAX_TIMEOUT_SECONDS = 86_400;
  public static final int DEFAULT_MAX_PASSES = 25;
  public static final int MAX_PASSES_LIMIT = 10_000;

  /** The only value of {@code "join"} there is. */
  public static final String JOIN_ALL = "all";

  /** The first pass of this activity in instance {@code instanceId} with {@code input}. */
  public NewTask newTask(UUID instanceId, JsonNode input) {
    return newTask(instanceId, input, 1);
  }

  /** Pass {@code pass} of this activity in instance {@code instanceId} with {@code input}. */
  public NewTask newTask(UUID instanceId, JsonNode input, int pass) {
    return new NewTask(instanceId, id, orchestrator, priority, maxAttempts, input, null, pass);
  }

  /** Writes {@code join} as {@code "all"}; a false one is left out of the JSON altogether. */
  static final class JoinJson extends JsonSerializer<Boolean> {
    @Override
    public void serialize(Boolean join, JsonGenerator out, SerializerProvider serializers)
        throws IOException {
      out.writeString(JOIN_ALL);
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Boolean join) {
      return join == null || !join;
    }
  }
}
