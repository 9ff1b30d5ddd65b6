package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.orchestrator.TaskContext;
import java.util.List;
import java.util.Set;

/**
 * The orchestrators the engine's definition tests may name, registered explicitly (the plug-ins
 * live in other modules): {@code noop} and {@code sleep} accept any config; {@code strict} checks
 * its own, a whole number {@code level} from 1 to 3 and a {@code step} that must run before it.
 * None of them is ever run here: the engine's tests drive tasks by hand ({@link
 * dev.podflow.engine.EngineFixture}).
 */
public final class TestOrchestrators {
  public static final OrchestratorRegistry REGISTRY =
      new OrchestratorRegistry(List.of(named("noop"), named("sleep"), new Strict()));

  private TestOrchestrators() {}

  private static Orchestrator named(String name) {
    return new Orchestrator() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public JsonNode run(TaskContext context) {
        throw new UnsupportedOperationException("definition tests run no task");
      }
    };
  }

  private static final class Strict implements Orchestrator {
    @Override
    public String name() {
      return "strict";
    }

    @Override
    public void checkConfig(ConfigCheck check) {
      check.unknownFields(Set.of("level", "step"));
      check.optionalInt("level", 1, 3);
      JsonNode step = check.config().get("step");
      if (step == null) return;
      check.onceGraphIsValid(
          (self, graph) -> {
            if (!graph.canReach(step.asText(), self.id())) {
              check.violation("/step", "'" + step.asText() + "' never runs before this activity");
            }
          });
    }

    @Override
    public JsonNode run(TaskContext context) {
      throw new UnsupportedOperationException("definition tests run no task");
    }
  }
}
