package dev.podflow.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.outbound.OutboundRefusedException;
import dev.podflow.store.Json;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One live client of one MCP server, for one (tenant, server): opened from a resolved spec, its
 * tool list cached and replaced when the server sends {@code notifications/tools/list_changed}. It
 * is {@linkplain #live() dead} once its stdio process exits or a request fails at the transport,
 * and {@link McpConnections} then opens a new one. Thread-safe: calls run concurrently.
 */
final class McpConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(McpConnection.class);
  private static final McpSchema.Implementation CLIENT_INFO =
      new McpSchema.Implementation("podflow", "0.1.0");
  // Calls carry their own timeouts; this only bounds the SDK's own requests (a list refresh).
  private static final Duration SDK_REQUEST_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String server;
  private final String fingerprint;
  private final McpAsyncClient client;
  private final List<HttpClient> httpClients;
  private final AtomicReference<List<McpTool>> tools;
  private volatile boolean dead;

  private McpConnection(
      String server,
      String fingerprint,
      McpAsyncClient client,
      List<HttpClient> httpClients,
      AtomicReference<List<McpTool>> tools) {
    this.server = server;
    this.fingerprint = fingerprint;
    this.client = client;
    this.httpClients = httpClients;
    this.tools = tools;
  }

  /**
   * Starts or connects to the server, initializes the session and lists its tools.
   *
   * @throws McpServerRefusedException when the allowlist or the outbound guard refuses it
   * @throws McpServerUnavailableException when it does not start or answer in time
   */
  static McpConnection open(
      McpServerSpec spec,
      StdioCommands commands,
      OutboundGuard guard,
      McpSettings settings,
      ToolOutputValidator validator) {
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    List<HttpClient> httpClients = new CopyOnWriteArrayList<>();
    McpClientTransport transport;
    IsolatedStdioTransport stdio = null;
    if (spec.isStdio()) {
      Path executable = commands.check(spec);
      Map<String, String> env = new TreeMap<>(spec.env());
      if (!env.containsKey("PATH") && settings.childPath() != null) {
        env.put("PATH", settings.childPath());
      }
      stdio = new IsolatedStdioTransport(executable, spec.args(), env, mapper);
      stdio.setStdErrorHandler(line -> log.debug("[mcp] {} stderr: {}", spec.name(), line));
      transport = stdio;
    } else {
      transport = httpTransport(spec, guard, settings, mapper, httpClients);
    }
    AtomicReference<List<McpTool>> tools = new AtomicReference<>();
    McpAsyncClient client =
        McpClient.async(transport)
            .clientInfo(CLIENT_INFO)
            .requestTimeout(SDK_REQUEST_TIMEOUT)
            .initializationTimeout(settings.connectTimeout())
            .jsonSchemaValidator(validator)
            .toolsChangeConsumer(
                listed ->
                    Mono.fromRunnable(
                        () -> {
                          tools.set(convert(listed));
                          log.debug(
                              "[mcp] {} tool list changed: {} tools", spec.name(), listed.size());
                        }))
            .build();
    McpConnection connection =
        new McpConnection(spec.name(), spec.fingerprint(), client, httpClients, tools);
    try {
      connection.await(client.initialize(), settings.connectTimeout(), "initialize");
      connection.tools(settings.connectTimeout());
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    if (stdio != null) watchExit(stdio, connection);
    return connection;
  }

  private static McpClientTransport httpTransport(
      McpServerSpec spec,
      OutboundGuard guard,
      McpSettings settings,
      JacksonMcpJsonMapper mapper,
      List<HttpClient> httpClients) {
    URI url = spec.uri();
    try {
      guard.check(url); // a clear refusal before the SDK wraps it; every request is checked again
    } catch (OutboundRefusedException e) {
      throw new McpServerRefusedException(
          spec.name(), "MCP server '" + spec.name() + "' is refused: " + e.getMessage(), e);
    }
    HttpRequest.Builder requests = HttpRequest.newBuilder();
    spec.headers()
        .forEach(
            (name, value) -> {
              try {
                requests.header(name, value);
              } catch (IllegalArgumentException e) {
                throw new McpServerRefusedException(
                    spec.name(),
                    "MCP server '" + spec.name() + "' header '" + name + "' cannot be sent");
              }
            });
    String endpoint =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) endpoint += "?" + url.getRawQuery();
    return HttpClientStreamableHttpTransport.builder(
            url.getScheme() + "://" + url.getRawAuthority())
        .endpoint(endpoint)
        .requestBuilder(requests)
        .clientBuilder(guard.clientBuilder(spec.headers().keySet(), httpClients::add))
        .connectTimeout(settings.connectTimeout())
        .jsonMapper(mapper)
        .build();
  }

  /** Marks the connection dead when its process exits, so the next use starts a new one. */
  private static void watchExit(IsolatedStdioTransport stdio, McpConnection connection) {
    Thread.ofVirtual()
        .name("mcp-exit-" + connection.server)
        .start(
            () -> {
              stdio.awaitForExit();
              if (!connection.dead) log.info("[mcp] {} process exited", connection.server);
              connection.dead = true;
            });
  }

  String fingerprint() {
    return fingerprint;
  }

  /** False once the process exited, a request failed at the transport, or it was closed. */
  boolean live() {
    return !dead;
  }

  /** The server's tools: the cached list, or listed now (all pages) when there is none yet. */
  List<McpTool> tools(Duration timeout) {
    List<McpTool> cached = tools.get();
    if (cached != null) return cached;
    List<McpTool> listed = new ArrayList<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult page;
      try {
        page = await(client.listTools(cursor), timeout, "tools/list");
      } catch (ServerAnswered e) {
        dead = true;
        throw new McpServerUnavailableException(server, e.getMessage(), null);
      }
      listed.addAll(convert(page.tools()));
      cursor = page.nextCursor();
    } while (cursor != null && !cursor.isEmpty());
    List<McpTool> fresh = List.copyOf(listed);
    tools.compareAndSet(null, fresh); // a list_changed meanwhile is newer: keep it
    return tools.get();
  }

  /** Calls {@code tool}; the tool's or the server's error about the call comes back as a result. */
  McpToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
    McpSchema.CallToolResult result;
    try {
      result =
          await(
              client.callTool(new McpSchema.CallToolRequest(tool, arguments)),
              timeout,
              "tools/call '" + tool + "'");
    } catch (ServerAnswered e) {
      return McpToolResult.error(e.getMessage());
    }
    return ToolResults.of(result);
  }

  private <T> T await(Mono<T> request, Duration timeout, String what) {
    CompletableFuture<T> future = request.toFuture();
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new McpServerUnavailableException(
          server,
          "MCP server '" + server + "' did not answer " + what + " within " + seconds(timeout),
          null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new McpServerUnavailableException(
          server, "interrupted while waiting for MCP server '" + server + "'", e);
    } catch (ExecutionException e) {
      throw failure(e.getCause(), what);
    }
  }

  private RuntimeException failure(Throwable cause, String what) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof OutboundRefusedException refused) {
        dead = true;
        return new McpServerRefusedException(
            server, "MCP server '" + server + "' is refused: " + refused.getMessage(), refused);
      }
    }
    if (cause instanceof McpError error && error.getJsonRpcError() != null) {
      return new ServerAnswered(
          "MCP server '"
              + server
              + "' answered "
              + what
              + " with an error: "
              + error.getJsonRpcError().message());
    }
    if (cause instanceof IllegalArgumentException invalid
        && String.valueOf(invalid.getMessage()).startsWith("Tool call result validation failed")) {
      return new ServerAnswered(invalid.getMessage());
    }
    dead = true;
    return new McpServerUnavailableException(
        server,
        "MCP server '"
            + server
            + "' failed during "
            + what
            + ": "
            + McpError.aggregateExceptionMessages(cause),
        cause);
  }

  /** The server answered with a JSON-RPC error: for a call, the model's to read. */
  private static final class ServerAnswered extends RuntimeException {
    ServerAnswered(String message) {
      super(message, null, false, false);
    }
  }

  private static List<McpTool> convert(List<McpSchema.Tool> listed) {
    List<McpTool> out = new ArrayList<>();
    for (McpSchema.Tool tool : listed) {
      out.add(
          new McpTool(
              tool.name(),
              tool.description(),
              Json.MAPPER.valueToTree(tool.inputSchema()),
              tool.outputSchema() == null ? null : Json.MAPPER.valueToTree(tool.outputSchema())));
    }
    return List.copyOf(out);
  }

  private static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  @Override
  public void close() {
    dead = true;
    try {
      client.closeGracefully().toFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.debug("[mcp] {} did not close gracefully: {}", server, e.toString());
      client.close();
    } finally {
      httpClients.forEach(HttpClient::shutdownNow);
    }
  }
}
