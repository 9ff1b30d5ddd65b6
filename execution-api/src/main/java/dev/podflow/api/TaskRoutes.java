package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AccessDeniedException;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.suspension.Suspensions;
import dev.podflow.store.auth.Role;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/tasks}: the inbox of tasks waiting for a person ({@code GET
 * /api/v1/tasks?status=WAITING&assignee=…}, a {@link Page}) and a person's answer ({@code POST
 * /api/v1/tasks/{id}/complete} with {@code {"output": {…}}}), which resumes the process.
 */
final class TaskRoutes {
  static final String TASKS = "/api/v1/tasks";
  static final String COMPLETE = TASKS + "/{id}/complete";

  private static final Logger LOG = LoggerFactory.getLogger(TaskRoutes.class);

  private final Jdbi jdbi;
  private final Suspensions suspensions;
  private final DefinitionCatalog catalog;

  TaskRoutes(Jdbi jdbi, Suspensions suspensions, DefinitionCatalog catalog) {
    this.jdbi = jdbi;
    this.suspensions = suspensions;
    this.catalog = catalog;
  }

  /** A page of the inbox, newest first; {@code next} is the cursor of the page after it. */
  record TaskList(List<HumanTaskView> tasks, String next) {}

  /**
   * A task as a person sees it: {@code name} is its activity's name in the definition version its
   * process runs ({@code activityId} when it has none), {@code definitionName} that definition's.
   * {@code form} is the JSON Schema the answer must satisfy ({@code null}: any JSON object); {@code
   * waitingFor} is {@code PERSON} when the answer becomes the task's output, {@code ANSWER} when it
   * answers a question the task's agent asked (the task then runs again, PENDING), {@code APPROVAL}
   * when it approves or refuses the tool call in {@code approval} ({@code {"tool", "arguments",
   * "reason"}}, null for any other task); {@code output} is the answer once given.
   */
  record HumanTaskView(
      long id,
      UUID processId,
      String activityId,
      String name,
      String definitionId,
      String definitionName,
      TaskStatus status,
      WaitingFor waitingFor,
      String assignee,
      JsonNode form,
      JsonNode input,
      JsonNode approval,
      JsonNode output,
      Instant createdAt,
      Instant finishedAt) {
    static HumanTaskView of(Task task, ProcessDefinition definition) {
      String name =
          definition
              .activity(task.activityId())
              .map(Activity::name)
              .filter(n -> n != null && !n.isBlank())
              .orElse(task.activityId());
      return new HumanTaskView(
          task.id(),
          task.procInstId(),
          task.activityId(),
          name,
          definition.id(),
          definition.name(),
          task.status(),
          task.waitingFor(),
          task.assignee(),
          task.form(),
          task.input(),
          approvalOf(task),
          task.output(),
          task.createdAt(),
          task.finishedAt());
    }
  }

  /**
   * The tool call a task WAITING for APPROVAL asks about: what its agent stored as {@code approval}
   * in the state it parked with (see {@code agents/…/ToolApproval}).
   */
  private static JsonNode approvalOf(Task task) {
    if (task.status() != TaskStatus.WAITING || task.waitingFor() != WaitingFor.APPROVAL)
      return null;
    JsonNode approval =
        task.checkpoint() == null ? null : task.checkpoint().path("state").get("approval");
    return approval == null || approval.isNull() ? null : approval;
  }

  void register(RoutesConfig routes) {
    routes.get(TASKS, this::list, Access.USER);
    routes.post(COMPLETE, this::complete, Access.USER);
  }

  private void list(Context ctx) {
    String status = ctx.queryParam("status");
    if (status == null || !status.equals(TaskStatus.WAITING.name())) {
      throw new InvalidRequestException(
          (status == null
                  ? "status is required"
                  : "status " + Problems.echo(status) + " is not supported")
              + "; the task list shows only tasks waiting for a person: ?status=WAITING");
    }
    if (ctx.queryParam("after") != null) {
      throw new InvalidRequestException(
          "after is no longer taken: the task list pages newest first; leave after out, then pass"
              + " each page's next as cursor");
    }
    ctx.json(
        inbox(
            AuthGuard.principal(ctx),
            QueryParams.text("assignee", ctx.queryParam("assignee")),
            Page.of(ctx, "tasks", Long::valueOf)));
  }

  /**
   * A page of the tasks waiting for a person: a user's own; for an operator, those of {@code asked}
   * (null: everyone's).
   */
  TaskList inbox(Principal principal, String asked, Page<Long> page) {
    String assignee = principal.role().includes(Role.OPERATOR) ? asked : ownInbox(principal, asked);
    List<HumanTaskView> fetched =
        jdbi
            .withExtension(
                TaskDao.class,
                dao ->
                    dao.taskListWaiting(
                        principal.tenantId(),
                        assignee,
                        page.afterCreatedAt(),
                        page.afterKey(),
                        page.fetch()))
            .stream()
            .map(task -> view(principal.tenantId(), task))
            .toList();
    Page.Slice<HumanTaskView> slice =
        page.slice(fetched, task -> new Cursor<>(task.createdAt(), task.id()));
    return new TaskList(slice.items(), slice.next());
  }

  /** A {@code user} sees its own inbox only: {@code assignee} is its name, given or not. */
  private static String ownInbox(Principal principal, String asked) {
    if (principal.user() == null) {
      throw new AccessDeniedException(
          "this credential acts for no user, so it has no inbox; an operator's sees every task");
    }
    if (asked != null && !asked.equals(principal.user())) {
      throw new AccessDeniedException(
          "a user sees only the tasks assigned to it: leave assignee out, or assignee="
              + principal.user());
    }
    return principal.user();
  }

  private void complete(Context ctx) {
    long id = QueryParams.id("the task id", "task", ctx.pathParam("id"));
    Principal principal = AuthGuard.principal(ctx);
    // Whether the task is the caller's is answered before its body is read.
    jdbi.useHandle(h -> Visibility.task(h, id, principal));
    ctx.json(answer(id, output(JsonBody.object(ctx, BodyLimit.ANSWER)), principal));
  }

  /**
   * Answers task {@code id} with {@code body} ({@code {"output": {…}}}) if {@code principal} may
   * see it; the task as it is then.
   */
  HumanTaskView complete(long id, ObjectNode body, Principal principal) {
    jdbi.useHandle(h -> Visibility.task(h, id, principal));
    return answer(id, output(body), principal);
  }

  private HumanTaskView answer(long id, JsonNode output, Principal principal) {
    Task done = suspensions.answer(id, output, principal.actor());
    LOG.info(
        "execution-api - task {} ({}) of process {} completed by a person ({})",
        id,
        done.activityId(),
        done.procInstId(),
        done.assignee());
    return view(principal.tenantId(), done);
  }

  /** {@code task} with the names people know it by, from its process's definition version. */
  private HumanTaskView view(String tenantId, Task task) {
    ProcessInstance instance =
        jdbi.withExtension(InstanceDao.class, dao -> dao.instanceGet(task.procInstId()))
            .orElseThrow();
    ProcessDefinition definition =
        catalog.get(tenantId, instance.procDefId(), instance.procDefVersion()).definition();
    return HumanTaskView.of(task, definition);
  }

  /** {@code {"output": {…}}}: the answer, a JSON object; nothing else. */
  private static JsonNode output(ObjectNode body) {
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("output")) {
        throw new InvalidRequestException("/" + field + " is not a known field; known: [output]");
      }
    }
    JsonNode output = body.get("output");
    if (output == null || output.isNull()) {
      throw new InvalidRequestException("/output is required: the answer, a JSON object");
    }
    if (!output.isObject()) {
      throw new InvalidRequestException(
          "/output must be a JSON object, not "
              + output.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return output;
  }
}
