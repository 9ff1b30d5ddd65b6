package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.store.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Podflow's processes as A2A agents (protocol 0.3, JSON-RPC): a definition published with {@code
 * "a2a": {"description", "skills"}} has a public agent card at {@value #CARD} and an endpoint at
 * {@value #ENDPOINT}, authenticated like the API (an API key or JWT of that tenant; any other
 * tenant's credential answers as if the agent did not exist).
 *
 * <p>{@code message/send} starts the latest version of the definition: the message's text parts
 * become the input's {@code text}, its data parts are merged into the input; the message id is the
 * start's idempotency key, so a repeated message answers the same process. A message with a {@code
 * taskId} instead answers the step of that process waiting for a person ({@code input-required}),
 * if the caller may answer it. It answers a task (id and context id: the process id) once the
 * process finishes or waits for input, or as it stands after {@value A2aProcessTasks#WAIT_SECONDS}
 * s. {@code message/stream} does the same and answers server-sent events: the task, then each
 * change of its state. {@code tasks/get} reads one, {@code tasks/cancel} cancels it. A task's state
 * follows the process: {@code working}, {@code input-required} (a step waits for a person's
 * answer), {@code completed} with the output as one data artifact, {@code failed}, {@code
 * canceled}.
 */
final class A2aServerRoutes {
  static final String ENDPOINT = "/a2a/{tenantId}/{definitionId}";
  static final String CARD = ENDPOINT + "/.well-known/agent-card.json";
  static final int STREAM_SECONDS = 300;

  private final A2aAgentCards cards;
  private final A2aProcessTasks tasks;

  A2aServerRoutes(A2aAgentCards cards, A2aProcessTasks tasks) {
    this.cards = cards;
    this.tasks = tasks;
  }

  void register(RoutesConfig routes) {
    routes.get(CARD, cards::card, Access.OPEN);
    routes.post(ENDPOINT, this::rpc, Access.USER);
  }

  private void rpc(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = ctx.pathParam("tenantId");
    if (!tenantId.equals(principal.tenantId())) {
      throw ProblemException.notFound(
          ProblemType.A2A_AGENT_NOT_FOUND,
          "A2A agent",
          tenantId + "/" + ctx.pathParam("definitionId"));
    }
    PublishedDefinition published = cards.agent(tenantId, ctx.pathParam("definitionId"));
    ObjectNode request = JsonBody.object(ctx, BodyLimit.START);
    JsonNode id = request.get("id");
    try {
      if (request.path("method").asText().equals("message/stream")) {
        stream(ctx, id, tasks.begin(request.path("params"), published, principal), principal);
        return;
      }
      ctx.json(
          response(id)
              .set(
                  "result",
                  answer(
                      request.path("method").asText(),
                      request.path("params"),
                      published,
                      principal)));
    } catch (A2aRpcError e) {
      ObjectNode response = response(id);
      response.putObject("error").put("code", e.code()).put("message", e.getMessage());
      ctx.json(response);
    }
  }

  private static ObjectNode response(JsonNode id) {
    ObjectNode response = Json.object().put("jsonrpc", "2.0");
    response.set("id", id);
    return response;
  }

  /**
   * {@code message/stream}: server-sent events, each a JSON-RPC response: the task, then a {@code
   * status-update} whenever its state changes (an {@code artifact-update} with the output before
   * {@code completed}), the last one {@code final}, within {@value #STREAM_SECONDS} s.
   */
  private void stream(Context ctx, JsonNode id, UUID processId, Principal principal) {
    ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
    try {
      OutputStream out = ctx.res().getOutputStream();
      JsonNode task = tasks.task(processId, principal);
      event(out, id, task);
      String last = task.at("/status/state").asText();
      Instant until = Instant.now().plusSeconds(STREAM_SECONDS);
      while (last.equals("working") && Instant.now().isBefore(until)) {
        A2aProcessTasks.sleep();
        task = tasks.task(processId, principal);
        String state = task.at("/status/state").asText();
        if (state.equals(last)) continue;
        if (state.equals("completed")) {
          ObjectNode artifact =
              Json.object()
                  .put("kind", "artifact-update")
                  .put("taskId", processId.toString())
                  .put("contextId", processId.toString())
                  .put("lastChunk", true);
          artifact.set("artifact", task.at("/artifacts/0"));
          event(out, id, artifact);
        }
        ObjectNode update =
            Json.object()
                .put("kind", "status-update")
                .put("taskId", processId.toString())
                .put("contextId", processId.toString())
                .put("final", !state.equals("working"));
        update.set("status", task.get("status"));
        event(out, id, update);
        last = state;
      }
    } catch (IOException e) {
      // the caller went away; the process runs on
    }
  }

  private static void event(OutputStream out, JsonNode id, JsonNode result) throws IOException {
    ObjectNode response = response(id);
    response.set("result", result);
    out.write(("data: " + Json.write(response) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private JsonNode answer(
      String method, JsonNode params, PublishedDefinition published, Principal principal) {
    return switch (method) {
      case "message/send" -> send(params, published, principal);
      case "tasks/pushNotificationConfig/set" -> tasks.setPush(params, principal);
      case "tasks/resubscribe" ->
          throw new A2aRpcError(-32004, "tasks/resubscribe is not supported; poll tasks/get");
      case "tasks/get" -> tasks.task(A2aProcessTasks.processId(params.path("id")), principal);
      case "tasks/cancel" -> tasks.cancel(A2aProcessTasks.processId(params.path("id")), principal);
      default ->
          throw new A2aRpcError(
              -32601,
              "method '"
                  + method
                  + "' is not served here; Podflow serves message/send, message/stream, tasks/get,"
                  + " tasks/cancel and tasks/pushNotificationConfig/set");
    };
  }

  private JsonNode send(JsonNode params, PublishedDefinition published, Principal principal) {
    return tasks.awaitSettled(tasks.begin(params, published, principal), principal);
  }
}
