package dev.podflow.mcp.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.CompletedStep;
import dev.podflow.engine.definition.ConditionScope;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.mcp.McpServerSpec;
import dev.podflow.mcp.McpToolResult;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code mcp}: a service task that calls one tool of an MCP server, with no LLM. Config {@code
 * {"server": "<name>", "tool": "<tool>", "arguments": {…}}}, the arguments written as {@link
 * McpArguments} describes (strings starting with {@code =} are FEEL). The output is the tool's
 * structured result when it is a JSON object, else {@code {"result": <structured result>}}, else
 * {@code {"text": "<its text>"}}. A tool that reports an error ({@code isError}) fails the attempt
 * with its text (retried per the activity's {@code maxAttempts}); a server that cannot start or
 * answer fails it too (retryable); an unknown or disabled server fails it for good. Each call is an
 * {@code mcp_call} event ({@link McpCalls}). Thread-safe once started.
 */
public final class McpOrchestrator implements Orchestrator {
  public static final String NAME = "mcp";

  // Set by start, before the pod's slots (which call run) start.
  private Jdbi jdbi;
  private McpCalls calls;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("server", "tool", "arguments"));
    check.requiredText("server", "the name of an MCP server (GET /api/v1/mcp-servers)");
    check.requiredText("tool", "the name of one of the server's tools");
    JsonNode arguments = check.config().get("arguments");
    if (arguments != null && !arguments.isNull()) McpArguments.check(check, arguments);
  }

  @Override
  public void start(PodServices pod) {
    this.jdbi = pod.jdbi();
    this.calls = McpCalls.forPod(pod);
  }

  @Override
  public JsonNode run(TaskContext task) {
    JsonNode config = task.config();
    McpServerSpec server = calls.server(task, config.path("server").asText());
    JsonNode arguments = config.path("arguments");
    String argumentsJson =
        arguments.isObject() ? Json.write(McpArguments.evaluate(arguments, scope(task))) : "{}";
    String tool = config.path("tool").asText();
    McpToolResult result = calls.call(task, server, tool, argumentsJson);
    if (result.isError()) {
      throw TaskFailedException.retryable(
          "tool '" + tool + "' of MCP server '" + server.name() + "' failed: " + result.text());
    }
    JsonNode structured = result.structuredContent();
    if (structured != null && structured.isObject()) return structured;
    if (structured != null && !structured.isNull()) return Json.object().set("result", structured);
    return Json.object().put("text", result.text());
  }

  private ConditionScope scope(TaskContext task) {
    Map<String, CompletedStep> steps = new HashMap<>();
    if (McpArguments.readSteps(task.config().path("arguments"))) {
      for (Task done :
          jdbi.withHandle(
              h -> h.attach(TaskDao.class).taskListLatestDone(task.claimed().instance().id()))) {
        steps.put(done.activityId(), new CompletedStep(done.output(), done.pass()));
      }
    }
    return ConditionScope.beforeStep(task.input(), task.claimed().instance().input(), steps);
  }
}
