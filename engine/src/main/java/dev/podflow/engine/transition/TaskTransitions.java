package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.store.Json;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.notification.NewNotification;
import dev.podflow.store.notification.NotificationDao;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every change of a task's state, each in one transaction with its events, the tasks that follow
 * and the instance's status. Writes that end a claim are fenced by the claim token.
 *
 * <p>Lock order, to stay free of deadlocks: task rows first, then the instance row. Thread-safe.
 */
public final class TaskTransitions {
  /** The recipient of operator alerts until recipients are configurable. */
  public static final String OPERATORS = "operators";

  /** The notification type of a process that ended in ERROR. */
  public static final String PROCESS_ERROR = "process_error";

  /** The notification type of a task parked for a person; its recipient is the assignee. */
  public static final String TASK_ASSIGNED = "task_assigned";

  /** {@code completedBy} in the {@code task_completed} event of a task a person answered. */
  public static final String COMPLETED_BY_HUMAN = "human";

  private final Jdbi jdbi;
  private final DefinitionCatalog catalog;

  public TaskTransitions(Jdbi jdbi, DefinitionCatalog catalog) {
    this.jdbi = jdbi;
    this.catalog = catalog;
  }

  /**
   * Claims the most urgent due task for {@code podId}, records the claim as an event and returns
   * the task with its activity and instance.
   */
  public Optional<ClaimedTask> claimNext(String podId, Duration lease) {
    return jdbi.inTransaction(
        h -> {
          Optional<Task> claimed = h.attach(TaskDao.class).taskClaimNext(podId, seconds(lease));
          if (claimed.isEmpty()) return Optional.empty();
          Task task = claimed.get();
          h.attach(EventDao.class)
              .eventAppend(
                  task.procInstId(),
                  task.id(),
                  EventTypes.TASK_CLAIMED,
                  Json.object()
                      .put("activityId", task.activityId())
                      .put("podId", podId)
                      .put("attempt", task.attempts()));
          ProcessInstance instance =
              h.attach(InstanceDao.class).instanceGet(task.procInstId()).orElseThrow();
          Activity activity =
              catalog
                  .get(h, instance.procDefId(), instance.procDefVersion())
                  .definition()
                  .activity(task.activityId())
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "task "
                                  + task.id()
                                  + " names activity "
                                  + task.activityId()
                                  + " that definition "
                                  + instance.procDefId()
                                  + " v"
                                  + instance.procDefVersion()
                                  + " lacks"));
          return Optional.of(new ClaimedTask(task, activity, instance));
        });
  }

  /**
   * Extends the lease. False only when the claim was taken away (rescued, handed back, cancelled or
   * claimed again); a claim its holder has just finished counts as still held, since a heartbeat
   * can race with the slot's own completion.
   */
  public boolean renewLease(Task claimed, Duration lease) {
    return jdbi.withHandle(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          // The second question runs only when the renewal found nothing, on a fresh snapshot that
          // sees a completion the renewal had to wait for.
          return tasks.taskRenewLease(claimed.id(), claimed.claimToken(), seconds(lease)) == 1
              || tasks.taskClaimHeld(claimed.id(), claimed.claimToken());
        });
  }

  /**
   * Marks the task done and queues what follows it; completes the instance when nothing is left.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome complete(Task claimed, JsonNode output) {
    return jdbi.inTransaction(
        h -> {
          if (h.attach(TaskDao.class).taskComplete(claimed.id(), claimed.claimToken(), output)
              == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          recordCompletion(
              h,
              claimed,
              output,
              Json.object()
                  .put("activityId", claimed.activityId())
                  .put("attempt", claimed.attempts()));
          return TaskOutcome.COMPLETED;
        });
  }

  /**
   * Parks a claimed task for a person: WAITING for {@code assignee}'s answer, which must satisfy
   * {@code form} (a JSON Schema; {@code null}: any JSON object). The lease ends, so no pod holds
   * the task and the rescuer leaves it alone; a {@code task_assigned} notification for the assignee
   * is queued with it. The instance is WAITING unless another of its tasks can still run.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome park(Task claimed, String assignee, JsonNode form) {
    return jdbi.inTransaction(
        h -> {
          if (h.attach(TaskDao.class).taskPark(claimed.id(), claimed.claimToken(), assignee, form)
              == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          ProcessInstance instance =
              h.attach(InstanceDao.class).instanceLock(claimed.procInstId()).orElseThrow();
          h.attach(EventDao.class)
              .eventAppend(
                  instance.id(),
                  claimed.id(),
                  EventTypes.TASK_WAITING,
                  Json.object()
                      .put("activityId", claimed.activityId())
                      .put("assignee", assignee)
                      .put("podId", claimed.claimedBy())
                      .set("form", form));
          ProcessDefinition definition =
              catalog.get(h, instance.procDefId(), instance.procDefVersion()).definition();
          String activityName =
              definition
                  .activity(claimed.activityId())
                  .map(Activity::name)
                  .orElse(claimed.activityId());
          h.attach(NotificationDao.class)
              .notificationInsert(
                  new NewNotification(
                      instance.id(),
                      claimed.id(),
                      assignee,
                      TASK_ASSIGNED,
                      definition.name() + ": " + activityName + " is waiting for you",
                      "Process "
                          + instance.procDefId()
                          + " "
                          + instance.id()
                          + " needs your answer to '"
                          + activityName
                          + "'",
                      Json.object()
                          .put("processId", instance.id().toString())
                          .put("definitionId", instance.procDefId())
                          .put("taskId", claimed.id())
                          .put("activityId", claimed.activityId())
                          .set("form", form)));
          settle(h, instance, null);
          return TaskOutcome.WAITING;
        });
  }

  /**
   * A person's answer to a WAITING task: the task is DONE with {@code output} and the process goes
   * on exactly as after a pod's completion (successors queued and pods woken, or the instance
   * completed). One transaction; the task row is locked first, so of two answers to one task
   * exactly one succeeds.
   *
   * @return the task as the answer left it
   * @throws TaskNotFoundException when no task has the id
   * @throws TaskNotWaitingException when the task is not WAITING (answered, cancelled, never
   *     parked)
   * @throws FormViolationException when {@code output} does not satisfy the task's form
   */
  public Task completeByPerson(long taskId, JsonNode output) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          Task waiting =
              tasks.taskLockForAnswer(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
          if (waiting.status() != TaskStatus.WAITING) {
            throw new TaskNotWaitingException(taskId, waiting.status());
          }
          if (waiting.form() != null) {
            List<FormSchema.Violation> violations = FormSchema.validate(waiting.form(), output);
            if (!violations.isEmpty()) throw new FormViolationException(taskId, violations);
          }
          Task done =
              tasks
                  .taskCompleteWaiting(taskId, output)
                  .orElseThrow(() -> new TaskNotWaitingException(taskId, waiting.status()));
          recordCompletion(
              h,
              done,
              output,
              Json.object()
                  .put("activityId", done.activityId())
                  .put("attempt", done.attempts())
                  .put("completedBy", COMPLETED_BY_HUMAN)
                  .put("assignee", done.assignee()));
          return done;
        });
  }

  /**
   * What follows a task's completion, in the completing transaction (the task row already locked by
   * its update): the {@code task_completed} event, the successors queued and the pods woken, and
   * the instance settled. {@code payload} is the event's, without the output.
   */
  private void recordCompletion(Handle h, Task task, JsonNode output, ObjectNode payload) {
    TaskDao tasks = h.attach(TaskDao.class);
    ProcessInstance instance =
        h.attach(InstanceDao.class).instanceLock(task.procInstId()).orElseThrow();
    EventDao events = h.attach(EventDao.class);
    events.eventAppend(
        instance.id(), task.id(), EventTypes.TASK_COMPLETED, payload.set("output", output));
    if (instance.status() == InstanceStatus.CANCELLED) {
      return; // nothing follows a cancelled instance
    }
    // In an ERROR instance (another branch died) this branch still queues what follows it:
    // work already done is kept, and a retry by hand finds the whole process to resume.
    List<Activity> successors =
        catalog
            .get(h, instance.procDefId(), instance.procDefVersion())
            .definition()
            .successorsOf(task.activityId());
    for (Activity next : successors) {
      long taskId =
          tasks.taskInsert(
              new NewTask(
                  instance.id(),
                  next.id(),
                  next.orchestrator(),
                  next.priority(),
                  next.maxAttempts(),
                  output));
      events.eventAppend(
          instance.id(),
          taskId,
          EventTypes.TASK_QUEUED,
          Json.object().put("activityId", next.id()).put("orchestrator", next.orchestrator()));
    }
    if (!successors.isEmpty()) tasks.notifyTasksReady();
    settle(h, instance, output);
  }

  /**
   * Re-evaluates an unfinished instance after one of its tasks changed: COMPLETED (with {@code
   * output}) when no task is left, RUNNING while a pod has something to run, WAITING while only
   * people do. A finished instance (ERROR included) keeps its status.
   */
  private static void settle(Handle h, ProcessInstance instance, JsonNode output) {
    if (instance.status().isFinished()) return;
    TaskDao tasks = h.attach(TaskDao.class);
    InstanceDao instances = h.attach(InstanceDao.class);
    if (tasks.taskCountUnfinished(instance.id()) == 0) {
      instances.instanceUpdateStatus(instance.id(), InstanceStatus.COMPLETED, output);
      h.attach(EventDao.class)
          .eventAppend(
              instance.id(),
              null,
              EventTypes.PROCESS_COMPLETED,
              Json.object().set("output", output));
      return;
    }
    InstanceStatus next =
        tasks.taskCountRunnable(instance.id()) > 0
            ? InstanceStatus.RUNNING
            : InstanceStatus.WAITING;
    if (next != instance.status()) instances.instanceUpdateStatus(instance.id(), next, null);
  }

  /**
   * Ends a failed attempt: FAILED with a backoff delay when {@code retryable} and attempts are
   * left, otherwise DEAD with the instance in ERROR.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome fail(Task claimed, String error, boolean retryable, Backoff backoff) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          if (retryable && claimed.hasAttemptsLeft()) {
            Duration delay = backoff.delayAfter(claimed.attempts());
            if (tasks.taskFailForRetry(claimed.id(), claimed.claimToken(), error, seconds(delay))
                == 0) {
              throw new StaleClaimException(claimed.id(), claimed.claimedBy());
            }
            h.attach(EventDao.class)
                .eventAppend(
                    claimed.procInstId(),
                    claimed.id(),
                    EventTypes.TASK_FAILED,
                    failure(claimed, error).put("retryInMs", delay.toMillis()));
            return TaskOutcome.RETRY_SCHEDULED;
          }
          if (tasks.taskMarkDead(claimed.id(), claimed.claimToken(), error) == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          failInstance(
              h, claimed, error, retryable ? "no attempts left" : "retrying cannot fix this error");
          return TaskOutcome.DEAD;
        });
  }

  /**
   * Hands the task back as PENDING without counting the attempt (a pod shutting down).
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome release(Task claimed, String reason) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          if (tasks.taskRelease(claimed.id(), claimed.claimToken()) == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          h.attach(EventDao.class)
              .eventAppend(
                  claimed.procInstId(),
                  claimed.id(),
                  EventTypes.TASK_RELEASED,
                  Json.object()
                      .put("activityId", claimed.activityId())
                      .put("podId", claimed.claimedBy())
                      .put("reason", reason));
          tasks.notifyTasksReady();
          return TaskOutcome.RELEASED;
        });
  }

  /**
   * Returns up to {@code limit} tasks whose lease expired to PENDING, or DEAD when out of attempts.
   * Only one pod rescues at a time; the others get {@code skipped}.
   */
  public RescueResult rescueExpired(int limit) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          if (!tasks.taskRescueTryLock()) {
            return new RescueResult(0, 0, true);
          }
          int requeued = 0;
          int dead = 0;
          for (Task task : tasks.taskRescueExpired(limit)) {
            h.attach(EventDao.class)
                .eventAppend(
                    task.procInstId(),
                    task.id(),
                    EventTypes.TASK_LEASE_EXPIRED,
                    Json.object()
                        .put("activityId", task.activityId())
                        .put("podId", task.claimedBy())
                        .put("attempt", task.attempts())
                        .put("status", task.status().name()));
            if (task.status() == TaskStatus.DEAD) {
              failInstance(h, task, task.lastError(), "no attempts left");
              dead++;
            } else {
              requeued++;
            }
          }
          if (requeued > 0) tasks.notifyTasksReady();
          return new RescueResult(requeued, dead, false);
        });
  }

  private void failInstance(Handle h, Task task, String error, String why) {
    EventDao events = h.attach(EventDao.class);
    events.eventAppend(
        task.procInstId(),
        task.id(),
        EventTypes.TASK_DEAD,
        failure(task, error).put("reason", why));
    InstanceDao instances = h.attach(InstanceDao.class);
    ProcessInstance instance = instances.instanceLock(task.procInstId()).orElseThrow();
    if (!instance.status().isFinished()) {
      ObjectNode output = failure(task, error).put("taskId", task.id());
      instances.instanceUpdateStatus(instance.id(), InstanceStatus.ERROR, output);
      events.eventAppend(instance.id(), task.id(), EventTypes.PROCESS_FAILED, output);
      h.attach(NotificationDao.class)
          .notificationInsert(
              new NewNotification(
                  instance.id(),
                  task.id(),
                  OPERATORS,
                  PROCESS_ERROR,
                  "Process " + instance.procDefId() + " failed at " + task.activityId(),
                  error == null ? "" : error,
                  output
                      .deepCopy()
                      .put("definitionId", instance.procDefId())
                      .put("processId", instance.id().toString())));
    }
  }

  private static ObjectNode failure(Task task, String error) {
    return Json.object()
        .put("activityId", task.activityId())
        .put("attempt", task.attempts())
        .put("maxAttempts", task.maxAttempts())
        .put("error", error);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
