package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AccessDeniedException;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.instance.StartResult;
import dev.podflow.store.Json;
import dev.podflow.store.auth.Role;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceFilter;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.InstanceSummary;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/processes}: start an instance of the latest version of a definition (idempotent
 * under an {@code Idempotency-Key}), list a tenant's instances ({@link Page}), read an instance
 * with its tasks.
 */
final class ProcessRoutes {
  static final String PROCESSES = "/api/v1/processes";
  static final String PROCESS = PROCESSES + "/{id}";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRoutes.class);
  private static final Set<String> START_FIELDS = Set.of("definitionId", "input");
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Jdbi jdbi;
  private final ProcessStarter starter;

  ProcessRoutes(Jdbi jdbi, ProcessStarter starter) {
    this.jdbi = jdbi;
    this.starter = starter;
  }

  /** The answer to a start. */
  record Started(UUID id, InstanceStatus status) {}

  /** A page of instances, newest first; {@code next} is the cursor of the page after it. */
  record ProcessList(List<ProcessSummaryView> processes, String next) {}

  /** An instance in a list: what it runs, who started it, where it stands; no input or tasks. */
  record ProcessSummaryView(
      UUID id,
      String definitionId,
      int definitionVersion,
      InstanceStatus status,
      String initiator,
      Instant createdAt,
      Instant updatedAt,
      Instant finishedAt) {
    static ProcessSummaryView of(InstanceSummary instance) {
      return new ProcessSummaryView(
          instance.id(),
          instance.procDefId(),
          instance.procDefVersion(),
          instance.status(),
          instance.initiator(),
          instance.createdAt(),
          instance.updatedAt(),
          instance.finishedAt());
    }
  }

  /** An instance as clients see it. */
  record ProcessView(
      UUID id,
      String definitionId,
      int definitionVersion,
      InstanceStatus status,
      JsonNode input,
      JsonNode output,
      Instant createdAt,
      Instant finishedAt,
      List<TaskView> tasks) {
    static ProcessView of(ProcessInstance instance, List<Task> tasks) {
      return new ProcessView(
          instance.id(),
          instance.procDefId(),
          instance.procDefVersion(),
          instance.status(),
          instance.input(),
          instance.output(),
          instance.createdAt(),
          instance.finishedAt(),
          tasks.stream().map(TaskView::of).toList());
    }
  }

  /**
   * One task of an instance; {@code pass} counts its activity's runs (a loop runs one again),
   * {@code waitingFor} says what a WAITING task waits for, {@code parentTaskId} names the task that
   * spawned a child task.
   */
  record TaskView(
      long id,
      String activityId,
      int pass,
      TaskStatus status,
      WaitingFor waitingFor,
      Long parentTaskId,
      int attempts,
      String claimedBy,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt) {
    static TaskView of(Task task) {
      return new TaskView(
          task.id(),
          task.activityId(),
          task.pass(),
          task.status(),
          task.status() == TaskStatus.WAITING ? task.waitingFor() : null,
          task.parentTaskId(),
          task.attempts(),
          task.claimedBy(),
          task.createdAt(),
          task.startedAt(),
          task.finishedAt());
    }
  }

  void register(RoutesConfig routes) {
    routes.post(PROCESSES, this::start, Access.USER);
    routes.get(PROCESSES, this::list, Access.USER);
    routes.get(PROCESS, this::get, Access.USER);
  }

  private void start(Context ctx) {
    StartResult result =
        start(
            JsonBody.object(ctx, BodyLimit.START),
            ctx.header(IDEMPOTENCY_KEY),
            AuthGuard.principal(ctx));
    ProcessInstance instance = result.instance();
    ctx.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .header("Location", PROCESSES + "/" + instance.id())
        .json(new Started(instance.id(), instance.status()));
  }

  /**
   * Starts {@code body}'s definition ({@code {"definitionId", "input"?}}) for {@code principal};
   * with an idempotency key (null: none) a repeat answers the instance the first one started.
   */
  StartResult start(ObjectNode body, String idempotencyKey, Principal principal) {
    StartResult result = starter.start(startCommand(body, idempotencyKey, principal));
    ProcessInstance instance = result.instance();
    if (result.created()) {
      LOG.info(
          "execution-api - started process {} of {} version {}",
          instance.id(),
          instance.procDefId(),
          instance.procDefVersion());
    } else {
      LOG.debug("execution-api - idempotent repeat answered with process {}", instance.id());
    }
    return result;
  }

  private void list(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String initiator = QueryParams.text("initiator", ctx.queryParam("initiator"));
    InstanceFilter filter =
        new InstanceFilter(
            principal.tenantId(),
            QueryParams.oneOf("status", ctx.queryParam("status"), InstanceStatus.class),
            QueryParams.text("definitionId", ctx.queryParam("definitionId")),
            principal.role().includes(Role.OPERATOR)
                ? initiator
                : ownProcesses(principal, initiator),
            QueryParams.instant("createdAfter", ctx.queryParam("createdAfter")),
            QueryParams.instant("createdBefore", ctx.queryParam("createdBefore")));
    Page<UUID> page = Page.of(ctx, "processes", UUID::fromString);
    List<ProcessSummaryView> fetched =
        jdbi
            .withExtension(
                InstanceDao.class,
                dao ->
                    dao.instanceList(filter, page.afterCreatedAt(), page.afterKey(), page.fetch()))
            .stream()
            .map(ProcessSummaryView::of)
            .toList();
    Page.Slice<ProcessSummaryView> slice =
        page.slice(fetched, process -> new Cursor<>(process.createdAt(), process.id()));
    ctx.json(new ProcessList(slice.items(), slice.next()));
  }

  /** A {@code user} lists the processes it started: {@code initiator} is its own, given or not. */
  private static String ownProcesses(Principal principal, String asked) {
    if (asked != null && !asked.equals(principal.initiator())) {
      throw new AccessDeniedException(
          "a user sees only the processes it started: leave initiator out, or initiator="
              + principal.initiator());
    }
    return principal.initiator();
  }

  private void get(Context ctx) {
    ctx.json(view(processId(ctx), AuthGuard.principal(ctx)));
  }

  /** The instance {@code id} with its tasks, if {@code principal} may see it. */
  ProcessView view(UUID id, Principal principal) {
    // One snapshot, so the instance's status and its tasks agree with each other. Set inside the
    // transaction: Jdbi's isolation levels are session settings, which a pooler would leak.
    ProcessView view =
        jdbi.inTransaction(
            h -> {
              h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
              ProcessInstance instance = Visibility.instance(h, id, principal);
              return ProcessView.of(instance, h.attach(TaskDao.class).taskListByInstance(id));
            });
    return view;
  }

  private static StartCommand startCommand(
      ObjectNode body, String idempotencyKey, Principal principal) {
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!START_FIELDS.contains(field)) {
        throw new InvalidRequestException(
            "/"
                + field
                + " is not a known field; known: "
                + START_FIELDS.stream().sorted().toList());
      }
    }
    JsonNode definitionId = body.get("definitionId");
    if (definitionId == null || definitionId.isNull()) {
      throw new InvalidRequestException("/definitionId is required");
    }
    if (!definitionId.isTextual() || definitionId.asText().isBlank()) {
      throw new InvalidRequestException("/definitionId must be a non-blank string");
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      input = Json.object();
    } else if (!input.isObject()) {
      throw new InvalidRequestException(
          "/input must be a JSON object, not "
              + input.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    if (idempotencyKey != null
        && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw new InvalidRequestException(
          IDEMPOTENCY_KEY
              + " must be 1 to "
              + MAX_IDEMPOTENCY_KEY_LENGTH
              + " characters, got "
              + idempotencyKey.length());
    }
    return new StartCommand(
        definitionId.asText(),
        input,
        idempotencyKey,
        principal.initiator(),
        principal.tenantId(),
        principal.actor());
  }

  /** The {@code {id}} path segment as a process id; anything but a UUID is refused (400). */
  static UUID processId(Context ctx) {
    return processId(ctx.pathParam("id"));
  }

  /** {@code raw} as a process id; anything but a UUID is refused (400). */
  static UUID processId(String raw) {
    if (!UUID_TEXT.matcher(raw).matches()) {
      throw new InvalidRequestException(
          Problems.echo(raw)
              + " is not a process id; ids are UUIDs such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    }
    return UUID.fromString(raw);
  }
}
