package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;

/**
 * {@code sleep} with config {@code {"ms": N}}: waits N milliseconds (interruptibly), output =
 * input.
 */
public final class SleepOrchestrator implements Orchestrator {
  static final long MAX_MS = 24L * 60 * 60 * 1000;

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    JsonNode ms = context.config().get("ms");
    if (ms == null || !ms.isIntegralNumber() || ms.asLong() < 0 || ms.asLong() > MAX_MS) {
      throw TaskFailedException.permanent(
          "sleep needs config {\"ms\": N} with N a whole number from 0 to "
              + MAX_MS
              + ", got "
              + context.config());
    }
    Thread.sleep(ms.asLong());
    return context.input();
  }
}
