package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.Set;

/**
 * {@code sleep} with config {@code {"ms": N}}: waits N milliseconds (interruptibly), output =
 * input.
 */
public final class SleepOrchestrator implements Orchestrator {
  /** The longest sleep, in milliseconds: one day. */
  static final long MAX_MS = 24L * 60 * 60 * 1000;

  private static final String MS = "a whole number of milliseconds from 0 to " + MAX_MS;

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("ms"));
    if (check.required("ms", MS) && !usable(check.config().get("ms"))) {
      check.violation("/ms", "must be " + MS);
    }
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    JsonNode ms = context.config().get("ms");
    if (ms == null || !usable(ms)) {
      throw TaskFailedException.permanent(
          "sleep needs config {\"ms\": N} with N a whole number from 0 to "
              + MAX_MS
              + ", got "
              + context.config());
    }
    Thread.sleep(ms.asLong());
    return context.input();
  }

  private static boolean usable(JsonNode ms) {
    return ms.isIntegralNumber() && ms.asLong() >= 0 && ms.asLong() <= MAX_MS;
  }
}
