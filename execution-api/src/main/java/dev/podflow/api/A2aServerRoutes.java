package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.a2a.ProcessAsTask;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.ProcessNotCancellableException;
import dev.podflow.engine.instance.ProcessNotFoundException;
import dev.podflow.engine.instance.StartResult;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.outbound.HttpUrls;
import dev.podflow.store.Json;
import dev.podflow.store.PodflowException;
import dev.podflow.store.a2a.PushConfigDao;
import dev.podflow.store.access.TenantScope;
import dev.podflow.store.task.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

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
 * process finishes or waits for input, or as it stands after {@value #WAIT_SECONDS} s. {@code
 * message/stream} does the same and answers server-sent events: the task, then each change of its
 * state. {@code tasks/get} reads one, {@code tasks/cancel} cancels it. A task's state follows the
 * process: {@code working}, {@code input-required} (a step waits for a person's answer), {@code
 * completed} with the output as one data artifact, {@code failed}, {@code canceled}.
 */
final class A2aServerRoutes {
  static final String ENDPOINT = "/a2a/{tenantId}/{definitionId}";
  static final String CARD = ENDPOINT + "/.well-known/agent-card.json";
  static final int WAIT_SECONDS = 25;
  static final int STREAM_SECONDS = 300;
  private static final Duration POLL = Duration.ofMillis(100);

  private final DefinitionCatalog catalog;
  private final ProcessRoutes processes;
  private final InstanceCommands instances;
  private final TaskRoutes tasks;
  private final Jdbi jdbi;

  /** The outbound guard the API was given checks callers' webhook URLs (as MCP servers' URLs). */
  private final McpAdmission outbound;

  A2aServerRoutes(
      DefinitionCatalog catalog,
      ProcessRoutes processes,
      InstanceCommands instances,
      TaskRoutes tasks,
      Jdbi jdbi,
      McpAdmission outbound) {
    this.catalog = catalog;
    this.processes = processes;
    this.instances = instances;
    this.tasks = tasks;
    this.jdbi = jdbi;
    this.outbound = outbound;
  }

  void register(RoutesConfig routes) {
    routes.get(CARD, this::card, Access.OPEN);
    routes.post(ENDPOINT, this::rpc, Access.USER);
  }

  private void card(Context ctx) {
    String tenantId = ctx.pathParam("tenantId");
    PublishedDefinition published =
        TenantScope.call(tenantId, () -> agent(tenantId, ctx.pathParam("definitionId")));
    JsonNode a2a = published.definition().a2a();
    String base = ctx.scheme() + "://" + ctx.host();
    ObjectNode card =
        Json.object()
            .put("name", published.definition().name())
            .put("description", a2a.path("description").asText())
            .put("url", base + "/a2a/" + tenantId + "/" + published.definition().id())
            .put("version", Integer.toString(published.version()))
            .put("protocolVersion", "0.3.0")
            .put("preferredTransport", "JSONRPC");
    card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
    card.putArray("defaultInputModes").add("text/plain").add("application/json");
    card.putArray("defaultOutputModes").add("application/json");
    ArrayNode skills = card.putArray("skills");
    for (JsonNode skill : a2a.path("skills")) {
      ObjectNode entry = skills.addObject();
      entry.setAll((ObjectNode) skill);
      entry.putArray("tags");
    }
    card.putObject("securitySchemes")
        .putObject("bearer")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "A Podflow API key (pfk_…) or JWT of tenant " + tenantId);
    card.putArray("security").addObject().putArray("bearer");
    ctx.json(card);
  }

  /** The tenant's latest version of the definition, when it is published as an agent. */
  private PublishedDefinition agent(String tenantId, String definitionId) {
    try {
      PublishedDefinition published = catalog.latest(tenantId, definitionId);
      if (published.definition().a2a() != null) return published;
    } catch (DefinitionNotFoundException e) {
      // answered below, as a definition that is no agent
    }
    throw ProblemException.notFound(
        ProblemType.A2A_AGENT_NOT_FOUND, "A2A agent", tenantId + "/" + definitionId);
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
    PublishedDefinition published = agent(tenantId, ctx.pathParam("definitionId"));
    ObjectNode request = JsonBody.object(ctx, BodyLimit.START);
    JsonNode id = request.get("id");
    try {
      if (request.path("method").asText().equals("message/stream")) {
        stream(ctx, id, begin(request.path("params"), published, principal), principal);
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
    } catch (RpcError e) {
      ObjectNode response = response(id);
      response.putObject("error").put("code", e.code).put("message", e.getMessage());
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
      JsonNode task = task(processId, principal);
      event(out, id, task);
      String last = task.at("/status/state").asText();
      Instant until = Instant.now().plusSeconds(STREAM_SECONDS);
      while (last.equals("working") && Instant.now().isBefore(until)) {
        sleep();
        task = task(processId, principal);
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
      case "tasks/pushNotificationConfig/set" -> setPush(params, principal);
      case "tasks/resubscribe" ->
          throw new RpcError(-32004, "tasks/resubscribe is not supported; poll tasks/get");
      case "tasks/get" -> task(processId(params.path("id")), principal);
      case "tasks/cancel" -> cancel(processId(params.path("id")), principal);
      default ->
          throw new RpcError(
              -32601,
              "method '"
                  + method
                  + "' is not served here; Podflow serves message/send, tasks/get and"
                  + " tasks/cancel");
    };
  }

  private JsonNode send(JsonNode params, PublishedDefinition published, Principal principal) {
    return awaitSettled(begin(params, published, principal), principal);
  }

  /**
   * {@code tasks/pushNotificationConfig/set}: the pods post the task to the caller's webhook
   * whenever its state changes ({@code A2aPushSender}).
   */
  private JsonNode setPush(JsonNode params, Principal principal) {
    UUID processId = processId(params.path("taskId"));
    task(processId, principal); // the caller's to see, or not found
    storePush(processId, params.path("pushNotificationConfig"), principal);
    ObjectNode answer = Json.object().put("taskId", processId.toString());
    answer.set("pushNotificationConfig", params.path("pushNotificationConfig"));
    return answer;
  }

  private void storePush(UUID processId, JsonNode config, Principal principal) {
    String url = config.path("url").asText(null);
    if (url == null || !HttpUrls.isHttpUrl(url)) {
      throw new RpcError(-32602, "pushNotificationConfig.url must be an http(s) URL");
    }
    outbound
        .urlRefusal("webhook", url)
        .ifPresent(
            why -> {
              throw new RpcError(-32602, "pushNotificationConfig.url is refused: " + why);
            });
    String token = config.path("token").asText(null);
    jdbi.useExtension(
        PushConfigDao.class, dao -> dao.pushConfigPut(principal.tenantId(), processId, url, token));
  }

  /**
   * What a message does: starts a process, or (with a {@code taskId}) answers the step of that
   * process waiting for input; the process's id. A {@code configuration.pushNotificationConfig} is
   * stored for it.
   */
  private UUID begin(JsonNode params, PublishedDefinition published, Principal principal) {
    UUID processId = startOrAnswer(params, published, principal);
    JsonNode push = params.path("configuration").path("pushNotificationConfig");
    if (push.isObject()) storePush(processId, push, principal);
    return processId;
  }

  private UUID startOrAnswer(JsonNode params, PublishedDefinition published, Principal principal) {
    JsonNode message = params.path("message");
    if (!message.path("parts").isArray()) {
      throw new RpcError(-32602, "params.message.parts must be an array of parts");
    }
    ObjectNode input = Json.object();
    StringBuilder text = new StringBuilder();
    for (JsonNode part : message.path("parts")) {
      switch (part.path("kind").asText()) {
        case "text" -> {
          if (!text.isEmpty()) text.append("\n\n");
          text.append(part.path("text").asText());
        }
        case "data" -> {
          if (part.path("data").isObject()) input.setAll((ObjectNode) part.path("data"));
        }
        default -> throw new RpcError(-32005, "only text and data parts are accepted");
      }
    }
    if (!text.isEmpty()) input.put("text", text.toString());
    if (message.hasNonNull("taskId")) {
      UUID processId = processId(message.path("taskId"));
      answer(processId, input, principal);
      return processId;
    }
    ObjectNode start = Json.object().put("definitionId", published.definition().id());
    start.set("input", input);
    String messageId = message.path("messageId").asText(null);
    StartResult started;
    try {
      started = processes.start(start, messageId, principal);
    } catch (PodflowException e) {
      throw new RpcError(-32602, e.getMessage());
    }
    return started.instance().id();
  }

  /**
   * A message in a task that asks for input: the answer of the step waiting for a person, which the
   * caller must be allowed to answer (assigned to it, or an operator).
   */
  private void answer(UUID processId, ObjectNode input, Principal principal) {
    ProcessRoutes.TaskView waiting =
        processes.view(processId, principal).tasks().stream()
            .filter(t -> t.status() == TaskStatus.WAITING && t.waitingFor().isForPerson())
            .findFirst()
            .orElseThrow(
                () -> new RpcError(-32602, "task " + processId + " does not wait for input"));
    ObjectNode body = Json.object();
    body.set("output", input);
    try {
      tasks.complete(waiting.id(), body, principal);
    } catch (PodflowException e) {
      throw new RpcError(-32602, e.getMessage());
    }
  }

  /** The task once it needs nothing more from Podflow, or as it stands after the wait. */
  private JsonNode awaitSettled(UUID processId, Principal principal) {
    Instant until = Instant.now().plusSeconds(WAIT_SECONDS);
    JsonNode task = task(processId, principal);
    while (task.at("/status/state").asText().equals("working") && Instant.now().isBefore(until)) {
      sleep();
      task = task(processId, principal);
    }
    return task;
  }

  private JsonNode cancel(UUID processId, Principal principal) {
    task(processId, principal); // visible to the caller, or not found
    try {
      instances.cancel(processId, principal.actor());
    } catch (ProcessNotCancellableException e) {
      throw new RpcError(-32002, "task " + processId + " cannot be canceled: " + e.getMessage());
    }
    return task(processId, principal);
  }

  /** The process as an A2A task. */
  private JsonNode task(UUID processId, Principal principal) {
    ProcessRoutes.ProcessView view;
    try {
      view = processes.view(processId, principal);
    } catch (ProcessNotFoundException e) {
      throw new RpcError(-32001, "task " + processId + " not found");
    }
    String waitingStep =
        view.tasks().stream()
            .filter(t -> t.status() == TaskStatus.WAITING && t.waitingFor().isForPerson())
            .map(ProcessRoutes.TaskView::activityId)
            .findFirst()
            .orElse(null);
    return ProcessAsTask.of(
        view.id(), view.status(), view.output(), view.finishedAt(), waitingStep);
  }

  /** A task id as a process id; anything else is a task not found. */
  private static UUID processId(JsonNode value) {
    String id = value.asText();
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new RpcError(-32001, "task " + Problems.echo(id) + " not found");
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcError(-32603, "interrupted");
    }
  }

  /** A JSON-RPC error: the request was understood but cannot be answered with a result. */
  private static final class RpcError extends RuntimeException {
    private final int code;

    RpcError(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
