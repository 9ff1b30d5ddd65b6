package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.a2a.ProcessAsTask;
import dev.podflow.api.auth.Principal;
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
import dev.podflow.store.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * What the A2A server does to processes, as the caller it authenticates: start one from a message
 * (or answer its step waiting for a person), read it as a task ({@link ProcessAsTask}), wait until
 * it needs nothing more of Podflow, cancel it, and keep the caller's webhook for it. Refusals are
 * {@link A2aRpcError}s with the JSON-RPC code A2A names. Thread-safe.
 */
final class A2aProcessTasks {
  static final int WAIT_SECONDS = 25;
  private static final Duration POLL = Duration.ofMillis(100);

  private final ProcessRoutes processes;
  private final InstanceCommands instances;
  private final TaskRoutes tasks;
  private final Jdbi jdbi;

  /** The outbound guard the API was given checks callers' webhook URLs (as MCP servers' URLs). */
  private final McpAdmission outbound;

  A2aProcessTasks(
      ProcessRoutes processes,
      InstanceCommands instances,
      TaskRoutes tasks,
      Jdbi jdbi,
      McpAdmission outbound) {
    this.processes = processes;
    this.instances = instances;
    this.tasks = tasks;
    this.jdbi = jdbi;
    this.outbound = outbound;
  }

  /**
   * {@code tasks/pushNotificationConfig/set}: the pods post the task to the caller's webhook
   * whenever its state changes ({@code A2aPushSender}).
   */
  JsonNode setPush(JsonNode params, Principal principal) {
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
      throw new A2aRpcError(-32602, "pushNotificationConfig.url must be an http(s) URL");
    }
    outbound
        .urlRefusal("webhook", url)
        .ifPresent(
            why -> {
              throw new A2aRpcError(-32602, "pushNotificationConfig.url is refused: " + why);
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
  UUID begin(JsonNode params, PublishedDefinition published, Principal principal) {
    UUID processId = startOrAnswer(params, published, principal);
    JsonNode push = params.path("configuration").path("pushNotificationConfig");
    if (push.isObject()) storePush(processId, push, principal);
    return processId;
  }

  private UUID startOrAnswer(JsonNode params, PublishedDefinition published, Principal principal) {
    JsonNode message = params.path("message");
    if (!message.path("parts").isArray()) {
      throw new A2aRpcError(-32602, "params.message.parts must be an array of parts");
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
        default -> throw new A2aRpcError(-32005, "only text and data parts are accepted");
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
      throw new A2aRpcError(-32602, e.getMessage());
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
                () -> new A2aRpcError(-32602, "task " + processId + " does not wait for input"));
    ObjectNode body = Json.object();
    body.set("output", input);
    try {
      tasks.complete(waiting.id(), body, principal);
    } catch (PodflowException e) {
      throw new A2aRpcError(-32602, e.getMessage());
    }
  }

  /** The task once it needs nothing more from Podflow, or as it stands after the wait. */
  JsonNode awaitSettled(UUID processId, Principal principal) {
    Instant until = Instant.now().plusSeconds(WAIT_SECONDS);
    JsonNode task = task(processId, principal);
    while (task.at("/status/state").asText().equals("working") && Instant.now().isBefore(until)) {
      sleep();
      task = task(processId, principal);
    }
    return task;
  }

  JsonNode cancel(UUID processId, Principal principal) {
    task(processId, principal); // visible to the caller, or not found
    try {
      instances.cancel(processId, principal.actor());
    } catch (ProcessNotCancellableException e) {
      throw new A2aRpcError(-32002, "task " + processId + " cannot be canceled: " + e.getMessage());
    }
    return task(processId, principal);
  }

  /** The process as an A2A task. */
  JsonNode task(UUID processId, Principal principal) {
    ProcessRoutes.ProcessView view;
    try {
      view = processes.view(processId, principal);
    } catch (ProcessNotFoundException e) {
      throw new A2aRpcError(-32001, "task " + processId + " not found");
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
  static UUID processId(JsonNode value) {
    String id = value.asText();
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new A2aRpcError(-32001, "task " + Problems.echo(id) + " not found");
    }
  }

  static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new A2aRpcError(-32603, "interrupted");
    }
  }
}
