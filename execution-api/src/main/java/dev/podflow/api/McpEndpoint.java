package dev.podflow.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.mcp.ToolOutputValidator;
import dev.podflow.store.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Podflow as an MCP server: streamable HTTP at {@value #PATH} on the API's port, so any MCP client
 * (an IDE assistant, another agent system) can list definitions, start processes, read them and
 * their events, and list and answer the tasks waiting for its user ({@link PodflowMcpTools}).
 *
 * <p>Stateless: every JSON-RPC message is one {@code POST} answered with one JSON body (a request)
 * or 202 (a notification or a response); no session, no server-sent stream, so {@code GET} and
 * {@code DELETE} answer 405 and any API instance serves any message. The message is authenticated
 * like every API route ({@code Authorization: Bearer} with an API key or a JWT; role {@code user}
 * at least), and each tool acts as that caller: what a tool may see or do is what the same call to
 * the HTTP API may. This class is the transport the MCP Java SDK's stateless server runs on, served
 * by Javalin instead of a servlet so that the API's guard, limits and problems apply.
 */
final class McpEndpoint implements McpStatelessServerTransport {
  static final String PATH = "/mcp";

  /** Where a tool finds its caller in the transport context. */
  static final String PRINCIPAL = "podflow.principal";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER);
  private final McpStatelessSyncServer server;
  private volatile McpStatelessServerHandler handler;

  McpEndpoint(PodflowMcpTools tools) {
    this.server =
        McpServer.sync(this)
            .serverInfo("podflow", "1.0.0")
            .instructions(
                "Podflow runs business processes. list_definitions shows what can be started,"
                    + " get_definition its steps and the input it takes, start_process starts one,"
                    + " get_process and list_process_events follow it, list_my_tasks and"
                    + " complete_task answer the steps waiting for a person.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(mapper)
            .jsonSchemaValidator(new ToolOutputValidator())
            .requestTimeout(REQUEST_TIMEOUT)
            .immediateExecution(true) // on the request's thread, not a scheduler's
            .tools(tools.specifications())
            .build();
  }

  void register(RoutesConfig routes) {
    routes.post(PATH, this::post, Access.USER);
  }

  private void post(Context ctx) throws IOException {
    ObjectNode body = JsonBody.object(ctx, BodyLimit.MCP_MESSAGE);
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(mapper, body.toString());
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidRequestException(
          "the body is not a JSON-RPC 2.0 request, notification or response: " + e.getMessage());
    }
    McpTransportContext context =
        McpTransportContext.create(Map.of(PRINCIPAL, AuthGuard.principal(ctx)));
    switch (message) {
      case McpSchema.JSONRPCRequest request -> {
        McpSchema.JSONRPCResponse response =
            handler.handleRequest(context, request).block(REQUEST_TIMEOUT);
        ctx.contentType("application/json").result(mapper.writeValueAsString(response));
      }
      case McpSchema.JSONRPCNotification notification -> {
        handler.handleNotification(context, notification).block(REQUEST_TIMEOUT);
        accepted(ctx);
      }
      default -> accepted(ctx); // a response: this server asks clients nothing
    }
  }

  private static void accepted(Context ctx) {
    ctx.status(HttpStatus.ACCEPTED);
    ctx.res().setContentType(null);
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  /** Stops the SDK's server (nothing of its own to release: each answer ends its request). */
  void stop() {
    server.close();
  }
}
