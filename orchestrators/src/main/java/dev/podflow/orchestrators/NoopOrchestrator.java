package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;

/** {@code noop}: output = input. For tests, benchmarks and wiring checks. */
public final class NoopOrchestrator implements Orchestrator {
  @Override
  public String name() {
    return "noop";
  }

  @Override
  public JsonNode run(TaskContext context) {
    return context.input();
  }
}
