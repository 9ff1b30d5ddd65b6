package dev.podflow.agents;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.agent.ToolRef;

/**
 * One tool as an agent's model sees it: the specification under the name the model calls it by, the
 * profile entry it came from (whether a person approves each call) and how to run it.
 *
 * @param label the tool as people read it in events and the inbox ({@code current_time}, {@code
 *     mcp:files/write_file})
 */
record AgentTool(ToolSpecification spec, String label, ToolRef ref, Runner runner) {
  /** Runs one call of the tool for a task and returns what the model gets back as the result. */
  @FunctionalInterface
  interface Runner {
    /**
     * @param argumentsJson the arguments as the model sent them (a JSON object as text)
     * @throws dev.podflow.engine.orchestrator.TaskFailedException when the attempt cannot go on (a
     *     server that cannot be reached); a tool's own error is a result, not an exception
     */
    String run(TaskContext task, String argumentsJson) throws InterruptedException;
  }

  /** The name the model calls the tool by. */
  String modelName() {
    return spec.name();
  }
}
