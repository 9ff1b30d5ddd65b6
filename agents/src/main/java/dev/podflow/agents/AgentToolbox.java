package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.ToolRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools one agent has for one task, from its profile's {@code tools} entries ({@link ToolRef}):
 * built-in tools, MCP tools (each server's tools as it lists them now, so a server switched off
 * since the last task is gone) and whether it may ask a person ({@code ask_human}). Not
 * thread-safe: one run's.
 */
final class AgentToolbox {
  private final Map<String, AgentTool> byModelName = new LinkedHashMap<>();
  private final boolean mayAskHuman;

  private AgentToolbox(List<AgentTool> tools, boolean mayAskHuman) {
    for (AgentTool tool : tools) byModelName.put(tool.modelName(), tool);
    this.mayAskHuman = mayAskHuman;
  }

  /**
   * The agent's tools for the task.
   *
   * @throws TaskFailedException permanent when the profile names a built-in tool the pod lacks;
   *     retryable when an MCP server it names cannot be reached (see {@link McpAgentTools})
   */
  static AgentToolbox of(TaskContext task, Agent agent, BuiltinTools builtins, McpAgentTools mcp)
      throws InterruptedException {
    List<AgentTool> tools = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    boolean mayAskHuman = false;
    for (JsonNode entry : agent.tools()) {
      ToolRef ref = ToolRef.parse(entry);
      if (ref.name().equals(AskHumanTool.NAME)) {
        mayAskHuman = true;
      } else if (ref.isMcp()) {
        tools.addAll(mcp.toolsFor(task, ref, modelNames(tools)));
      } else {
        builtins.get(ref).ifPresentOrElse(tools::add, () -> unknown.add(ref.name()));
      }
    }
    if (!unknown.isEmpty()) {
      throw TaskFailedException.permanent(
          "agent '"
              + agent.id()
              + "' names tools this pod does not have: "
              + unknown
              + "; built in: "
              + builtins.names()
              + ", "
              + AskHumanTool.NAME
              + "; MCP tools are named mcp:<server> or mcp:<server>/<tool>");
    }
    return new AgentToolbox(tools, mayAskHuman);
  }

  private static List<String> modelNames(List<AgentTool> tools) {
    return tools.stream().map(AgentTool::modelName).toList();
  }

  /** The specifications the model gets, {@code ask_human}'s included when the agent may ask. */
  List<ToolSpecification> specs() {
    List<ToolSpecification> specs = new ArrayList<>();
    for (AgentTool tool : byModelName.values()) specs.add(tool.spec());
    if (mayAskHuman) specs.add(AskHumanTool.SPEC);
    return specs;
  }

  boolean mayAskHuman() {
    return mayAskHuman;
  }

  /** The tool the model calls {@code modelName}, or null when the agent has none by that name. */
  AgentTool get(String modelName) {
    return byModelName.get(modelName);
  }

  /** The names the model may call, for the error a call to an unknown one gets back. */
  String modelNames() {
    List<String> names = new ArrayList<>(byModelName.keySet());
    if (mayAskHuman) names.add(AskHumanTool.NAME);
    return String.join(", ", names);
  }
}
