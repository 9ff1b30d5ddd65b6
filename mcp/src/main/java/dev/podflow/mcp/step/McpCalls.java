package dev.podflow.mcp.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.mcp.McpConnections;
import dev.podflow.mcp.McpException;
import dev.podflow.mcp.McpRegistry;
import dev.podflow.mcp.McpServerSpec;
import dev.podflow.mcp.McpTool;
import dev.podflow.mcp.McpToolResult;
import dev.podflow.store.Environment;
import dev.podflow.store.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MCP calls of a pod's tasks, for the {@code mcp} step and for agents' tools alike: finds the
 * server as the task's tenant may use it now ({@link McpRegistry}), calls it over the pod's
 * connections, and records each call as an {@code mcp_call} event ({@code server}, {@code tool},
 * {@code arguments} with secret-looking values masked, {@code durationMs}, {@code outcome}: {@code
 * ok}, {@code tool_error}, {@code unavailable} or {@code refused}, {@code resultBytes}) and in the
 * metrics {@code podflow_mcp_calls_total{server,outcome}} and {@code
 * podflow_mcp_call_seconds{server}}. A server that cannot start or answer fails the attempt
 * (retryable); one that is unknown, disabled or refused by the pod's settings fails it for good.
 * Thread-safe.
 */
public final class McpCalls implements AutoCloseable {
  /** The event type of one call of a tool of an MCP server. */
  public static final String MCP_CALL = "mcp_call";

  private final McpRegistry registry;
  private final McpConnections connections;
  private final MeterRegistry metrics;

  public McpCalls(McpRegistry registry, McpConnections connections, MeterRegistry metrics) {
    this.registry = registry;
    this.connections = connections;
    this.metrics = metrics;
  }

  /**
   * The calls of a pod, one for all its orchestrators ({@link PodServices#components}, closed when
   * the pod stops): its database, the catalogue and secret key of its settings, and connections
   * under its allowlist and outbound guard.
   *
   * @throws dev.podflow.store.InvalidConfigurationException for a bad MCP setting
   */
  public static McpCalls forPod(PodServices pod) {
    return pod.components()
        .get(
            McpCalls.class,
            () ->
                new McpCalls(
                    McpRegistry.forPod(pod.jdbi(), pod.settings()),
                    McpConnections.fromEnvironment(new Environment(pod.settings())),
                    pod.metrics()));
  }

  /**
   * The server {@code name} as the task's tenant may use it now.
   *
   * @throws TaskFailedException permanent when there is none or it is disabled (its connection is
   *     closed then)
   */
  public McpServerSpec server(TaskContext task, String name) {
    McpServerSpec server = failingTheAttempt(() -> registry.server(task.tenantId(), name));
    if (!server.enabled()) {
      connections.close(task.tenantId(), name);
      throw TaskFailedException.permanent(
          "MCP server '"
              + name
              + "' is disabled; enable it with PATCH /api/v1/mcp-servers/"
              + name
              + " {\"enabled\": true}");
    }
    return server;
  }

  /** The tools the server lists now. */
  public List<McpTool> tools(TaskContext task, McpServerSpec server) {
    return failingTheAttempt(() -> connections.listTools(task.tenantId(), server));
  }

  /**
   * Calls {@code tool}; a tool's own error comes back as a result with {@code isError}.
   *
   * @throws TaskFailedException when the server cannot be used (see the class comment)
   */
  public McpToolResult call(
      TaskContext task, McpServerSpec server, String tool, String argumentsJson) {
    long started = System.nanoTime();
    McpToolResult result = null;
    String outcome = "unavailable";
    try {
      result = connections.callTool(task.tenantId(), server, tool, argumentsJson);
      outcome = result.isError() ? "tool_error" : "ok";
      return result;
    } catch (McpException e) {
      outcome = e.retryable() ? "unavailable" : "refused";
      throw failure(e);
    } finally {
      long nanos = System.nanoTime() - started;
      record(task, server.name(), tool, argumentsJson, outcome, result, nanos);
    }
  }

  private void record(
      TaskContext task,
      String server,
      String tool,
      String argumentsJson,
      String outcome,
      McpToolResult result,
      long nanos) {
    Counter.builder("podflow_mcp_calls_total")
        .description("Calls of MCP tools, by server and outcome")
        .tags("server", server, "outcome", outcome)
        .register(metrics)
        .increment();
    Timer.builder("podflow_mcp_call_seconds")
        .description("Time one MCP tool call took, failed calls included")
        .tags("server", server)
        .publishPercentileHistogram()
        .register(metrics)
        .record(nanos, TimeUnit.NANOSECONDS);
    ObjectNode payload = Json.object().put("server", server).put("tool", tool);
    payload.set("arguments", ArgumentMask.masked(argumentsJson));
    payload
        .put("durationMs", TimeUnit.NANOSECONDS.toMillis(nanos))
        .put("outcome", outcome)
        .put("resultBytes", result == null ? 0 : result.size());
    task.recordEvent(MCP_CALL, payload);
  }

  @Override
  public void close() {
    connections.close();
  }

  private interface McpWork<T> {
    T run();
  }

  private static <T> T failingTheAttempt(McpWork<T> work) {
    try {
      return work.run();
    } catch (McpException e) {
      throw failure(e);
    }
  }

  private static TaskFailedException failure(McpException e) {
    return e.retryable()
        ? TaskFailedException.retryable(e.getMessage())
        : TaskFailedException.permanent(e.getMessage());
  }
}
