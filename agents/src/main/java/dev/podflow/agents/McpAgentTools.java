package dev.podflow.agents;

import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.agent.ToolRef;
import java.util.List;

/** The MCP tools an agent's profile names ({@code mcp:<server>}, {@code mcp:<server>/<tool>}). */
final class McpAgentTools {
  /**
   * The tools {@code ref} names, under model names that differ from {@code taken}.
   *
   * @throws TaskFailedException permanent when no server of that name is registered for the task's
   *     tenant
   */
  List<AgentTool> toolsFor(TaskContext task, ToolRef ref, List<String> taken)
      throws InterruptedException {
    throw TaskFailedException.permanent(
        "the agent names "
            + ref.name()
            + ", but no MCP server '"
            + ref.server()
            + "' is registered");
  }
}
