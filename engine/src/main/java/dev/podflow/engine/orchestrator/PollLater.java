package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/**
 * Hands the task back to run again after {@code delay}, without counting the attempt, its
 * orchestrator's {@code state} kept ({@link TaskContext#savedState()} when it runs again): a step
 * that waits for something outside (an A2A peer's task) frees its pod's slot meanwhile. Whoever
 * holds {@code wakeToken} (given to the outside party, e.g. as a push notification's token) may
 * make the task due sooner ({@code Suspensions#wake}); only the token's SHA-256 is stored, and a
 * later wait makes it worthless.
 */
public final class PollLater extends TaskSuspension {
  private final transient JsonNode state;
  private final Duration delay;
  private final String wakeToken;

  public PollLater(JsonNode state, Duration delay, String wakeToken) {
    super("polls again in " + delay);
    if (delay.isNegative()) throw new IllegalArgumentException("a negative delay: " + delay);
    this.state = Objects.requireNonNull(state, "state");
    this.delay = delay;
    this.wakeToken = Objects.requireNonNull(wakeToken, "wakeToken");
  }

  public JsonNode state() {
    return state;
  }

  public Duration delay() {
    return delay;
  }

  public String wakeToken() {
    return wakeToken;
  }
}
