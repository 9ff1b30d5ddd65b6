package dev.podflow.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.store.Environment;
import dev.podflow.store.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Podflow's MCP client layer: one live connection per (tenant, server), reused across tasks.
 *
 * <p>Every call passes the server's resolved definition. The first use opens a connection (a stdio
 * process the allowlist permits, or an HTTP session the outbound guard permits); a definition whose
 * {@linkplain McpServerSpec#fingerprint() fingerprint} changed closes the old connection and opens
 * a new one; a connection that died (its process exited, a request failed at the transport) is
 * opened again on the next use, at most once per call. A tool call is never sent twice here: a call
 * that fails is the caller's to retry. A disabled definition closes the connection and is refused.
 *
 * <p>Thread-safe: pod slots call concurrently; opening and closing are serialised per (tenant,
 * server), calls are not.
 */
public final class McpConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(McpConnections.class);

  private record Key(String tenant, String server) {}

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    volatile McpConnection connection;
  }

  private final StdioCommands commands;
  private final OutboundGuard guard;
  private final McpSettings settings;
  private final ToolOutputValidator validator = new ToolOutputValidator();
  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public McpConnections(StdioCommands commands, OutboundGuard guard, McpSettings settings) {
    this.commands = commands;
    this.guard = guard;
    this.settings = settings;
  }

  /** Connections with the allowlist, the outbound guard and the settings of the environment. */
  public static McpConnections fromEnvironment(Environment environment) {
    return new McpConnections(
        StdioCommands.fromEnvironment(environment),
        OutboundGuard.fromEnvironment(environment),
        McpSettings.fromEnvironment(environment));
  }

  public McpSettings settings() {
    return settings;
  }

  /**
   * The tools {@code server} offers, cached per connection and replaced when the server says its
   * list changed.
   *
   * @throws McpServerRefusedException when the settings refuse the server
   * @throws McpServerUnavailableException when it cannot start or answer (retryable)
   */
  public List<McpTool> listTools(String tenant, McpServerSpec server) {
    return connection(tenant, server).tools(settings.callTimeout());
  }

  /**
   * {@link #callTool(String, McpServerSpec, String, String, Duration)} with the default timeout.
   */
  public McpToolResult callTool(
      String tenant, McpServerSpec server, String tool, String argumentsJson) {
    return callTool(tenant, server, tool, argumentsJson, settings.callTimeout());
  }

  /**
   * Calls {@code tool} with {@code argumentsJson} (a JSON object; blank for none). The tool's own
   * error ({@code isError}), a JSON-RPC error the server answers about the call, arguments that are
   * not a JSON object and a structured result that breaks the tool's outputSchema all come back as
   * a result with {@code isError}, for the model to read.
   *
   * @throws McpServerRefusedException when the settings refuse the server
   * @throws McpServerUnavailableException when it cannot start, breaks, or does not answer within
   *     {@code timeout} (retryable)
   */
  public McpToolResult callTool(
      String tenant, McpServerSpec server, String tool, String argumentsJson, Duration timeout) {
    Map<String, Object> arguments;
    try {
      arguments = arguments(argumentsJson);
    } catch (IllegalArgumentException e) {
      return McpToolResult.error(e.getMessage());
    }
    return connection(tenant, server).call(tool, arguments, timeout);
  }

  /** Whether a live connection to {@code server} is open for {@code tenant}. */
  public boolean isOpen(String tenant, String server) {
    Slot slot = slots.get(new Key(tenant, server));
    McpConnection connection = slot == null ? null : slot.connection;
    return connection != null && connection.live();
  }

  /** Closes the tenant's connection to {@code server} (the server was disabled or removed). */
  public void close(String tenant, String server) {
    Slot slot = slots.get(new Key(tenant, server));
    if (slot == null) return;
    slot.lock.lock();
    try {
      McpConnection connection = slot.connection;
      slot.connection = null;
      if (connection != null) {
        connection.close();
        log.info("[mcp] closed server {} for tenant {}", server, tenant);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /** Closes every connection; later uses open new ones. */
  public void closeAll() {
    slots.keySet().forEach(key -> close(key.tenant(), key.server()));
  }

  /** Closes every connection and refuses further use. */
  @Override
  public void close() {
    closed = true;
    closeAll();
  }

  private McpConnection connection(String tenant, McpServerSpec server) {
    if (closed) throw new IllegalStateException("the MCP connections are closed");
    String name = server.name();
    if (!server.enabled()) {
      close(tenant, name);
      throw new McpServerRefusedException(name, "MCP server '" + name + "' is disabled");
    }
    if (!server.offeredTo(tenant)) {
      throw new McpServerRefusedException(
          name, "MCP server '" + name + "' is not offered to tenant " + tenant);
    }
    Slot slot = slots.computeIfAbsent(new Key(tenant, name), key -> new Slot());
    String fingerprint = server.fingerprint();
    McpConnection current = slot.connection;
    if (current != null && current.live() && current.fingerprint().equals(fingerprint)) {
      return current;
    }
    slot.lock.lock();
    try {
      current = slot.connection;
      if (current != null && current.live() && current.fingerprint().equals(fingerprint)) {
        return current;
      }
      if (current != null) {
        String why = current.live() ? "its definition changed" : "its connection died";
        slot.connection = null;
        current.close();
        log.info("[mcp] reopening server {} for tenant {}: {}", name, tenant, why);
      }
      McpConnection fresh = McpConnection.open(server, commands, guard, settings, validator);
      slot.connection = fresh;
      log.info("[mcp] opened server {} for tenant {}", name, tenant);
      return fresh;
    } finally {
      slot.lock.unlock();
    }
  }

  private static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) return Map.of();
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the tool arguments are not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the tool arguments must be a JSON object");
    }
    return Json.MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }
}
