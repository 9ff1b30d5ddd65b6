package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.notification.NewNotification;
import dev.podflow.store.notification.NotificationDao;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.task.ClaimedRow;
import dev.podflow.store.task.CompletedRow;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

  /** The channel that wakes idle pods. */
  public static final String TASKS_CHANNEL = Channel.TASKS.sqlName();

  /** The channel that tells SSE followers an instance has new events (payload: its id). */
  public static final String EVENTS_CHANNEL = Channel.EVENTS.sqlName();

  private final Jdbi jdbi;
  private final DefinitionCatalog catalog;
  private final Notifier notifier;

  /** Transitions that send their notifications inline, right after each commit. */
  public TaskTransitions(Jdbi jdbi, DefinitionCatalog catalog) {
    this(jdbi, catalog, Notifier.inline(jdbi));
  }

  /**
   * @param notifier sends the hot paths' NOTIFYs (claims, completions, queued tasks, settled
   *     instances) after their transactions commit, never inside them: notifying transactions
   *     commit one at a time in PostgreSQL (see {@link Notifier})
   */
  public TaskTransitions(Jdbi jdbi, DefinitionCatalog catalog, Notifier notifier) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.notifier = notifier;
  }

  /**
   * Claims the most urgent due task for {@code podId}, records the claim as an event and returns
   * the task with its activity and instance.
   */
  public Optional<ClaimedTask> claimNext(String podId, Duration lease) {
    return claim(podId, lease, 1).stream().findFirst();
  }

  /**
   * Claims up to {@code limit} of the most urgent due tasks for {@code podId} in one statement (one
   * round trip, one commit), records each claim as an event and returns the tasks with their
   * activities and instances, most urgent first.
   */
  public List<ClaimedTask> claim(String podId, Duration lease, int limit) {
    List<ClaimedRow> rows = jdbi.withHandle(h -> HotSql.claim(h, podId, seconds(lease), limit));
    if (rows.isEmpty()) return List.of();
    List<ClaimedTask> claimed = new ArrayList<>(rows.size());
    List<Notifier.Notification> notifications = new ArrayList<>(rows.size());
    for (ClaimedRow row : rows) {
      claimed.add(withActivity(row.task(), row.instance()));
      notifications.add(new Notifier.Notification(EVENTS_CHANNEL, row.instance().id().toString()));
    }
    notifier.sendSoon(notifications);
    return claimed;
  }

  private ClaimedTask withActivity(Task task, ProcessInstance instance) {
    Activity activity =
        catalog
            .get(instance.procDefId(), instance.procDefVersion())
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
    // A parent that ran again after its children: they are all DONE and stay so.
    List<Task> children =
        task.waitingFor() == WaitingFor.CHILDREN
            ? jdbi.withHandle(h -> h.attach(TaskDao.class).taskListChildren(task.id()))
            : List.of();
    return new ClaimedTask(task, activity, instance, children);
  }

  /**
   * Extends the lease. False only when the claim was taken away (rescued, handed back, cancelled or
   * claimed again); a claim its holder has just finished counts as still held, since a heartbeat
   * can race with the pod's own completion.
   */
  public boolean renewLease(Task claimed, Duration lease) {
    return renewLeases(List.of(claimed), lease).isEmpty();
  }

  /**
   * Extends the leases of a pod's claims in one statement; returns the ids of the tasks whose claim
   * was taken away. A claim its holder has just finished counts as still held (see {@link
   * #renewLease}).
   */
  public Set<Long> renewLeases(List<Task> claimed, Duration lease) {
    if (claimed.isEmpty()) return Set.of();
    long[] ids = claimed.stream().mapToLong(Task::id).toArray();
    UUID[] tokens = claimed.stream().map(Task::claimToken).toArray(UUID[]::new);
    return jdbi.withHandle(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          Set<Long> renewed = new HashSet<>(tasks.taskRenewLeases(ids, tokens, seconds(lease)));
          Set<Long> lost = new HashSet<>();
          for (Task task : claimed) {
            // Asked only when the renewal missed it, on a fresh snapshot that sees a completion
            // the renewal had to wait for.
            if (!renewed.contains(task.id())
                && !tasks.taskClaimHeld(task.id(), task.claimToken())) {
              lost.add(task.id());
            }
          }
          return lost;
        });
  }

  /**
   * Marks the task done and queues what follows it; completes the instance when nothing is left.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome complete(Task claimed, JsonNode output) {
    TaskOutcome outcome = completeAll(List.of(new Completion(claimed, output))).getFirst();
    if (outcome == TaskOutcome.STALE) {
      throw new StaleClaimException(claimed.id(), claimed.claimedBy());
    }
    return outcome;
  }

  /**
   * Records finished tasks in one transaction, one synchronous commit for all of them: each task
   * DONE with its {@code task_completed} event, what follows it queued, its instance settled
   * (completed when nothing is left). Returns an outcome per completion, in order: {@code
   * COMPLETED}, or {@code STALE} when its claim is no longer held (nothing of it is written; the
   * others go ahead). A database error fails the whole transaction and records none of them.
   *
   * <p>Lock order, as for one task: the parents of child tasks, then the task rows, then their
   * instances in id order. Each instance's completions are followed together and the instance is
   * settled once after all of them, so a batch holding two tasks of one instance neither completes
   * it early nor releases a join before both arrived.
   */
  public List<TaskOutcome> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) return List.of();
    return jdbi.inTransaction(
        h -> {
          lockParents(h, completions);
          List<HotSql.Completion> rows = new ArrayList<>(completions.size());
          Map<Long, Completion> byTask = new HashMap<>();
          for (Completion c : completions) {
            Task task = c.task();
            rows.add(new HotSql.Completion(task.id(), task.claimToken(), c.output()));
            byTask.put(task.id(), c);
          }
          // Tasks DONE, instances locked, task_completed events written: one statement.
          List<CompletedRow> done = HotSql.complete(h, rows);
          Map<UUID, ProcessInstance> instances = new LinkedHashMap<>();
          Map<UUID, List<Completion>> byInstance = new HashMap<>();
          Set<Long> completed = new HashSet<>();
          for (CompletedRow row : done) {
            completed.add(row.taskId());
            instances.putIfAbsent(row.instance().id(), row.instance());
            byInstance
                .computeIfAbsent(row.instance().id(), id -> new ArrayList<>())
                .add(byTask.get(row.taskId()));
          }
          List<Settling> toSettle = new ArrayList<>(instances.size());
          for (ProcessInstance instance : instances.values()) {
            notifyAfterCommit(h, EVENTS_CHANNEL, instance.id().toString());
            List<Completion> ofInstance = byInstance.get(instance.id());
            if (followCompletions(h, instance, ofInstance)) {
              toSettle.add(new Settling(instance, ofInstance.getLast().output()));
            }
          }
          settleAll(h, toSettle);
          List<TaskOutcome> outcomes = new ArrayList<>(completions.size());
          for (Completion c : completions) {
            outcomes.add(
                completed.contains(c.task().id()) ? TaskOutcome.COMPLETED : TaskOutcome.STALE);
          }
          return outcomes;
        });
  }

  /**
   * Parks a claimed task for a person: WAITING for {@code assignee}'s answer, which must satisfy
   * {@code form} (a JSON Schema; {@code null}: any JSON object) and becomes the task's output. The
   * lease ends, so no pod holds the task and the rescuer leaves it alone; a {@code task_assigned}
   * notification for the assignee is queued with it. The instance is WAITING unless another of its
   * tasks can still run.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome park(Task claimed, String assignee, JsonNode form) {
    return parkForPerson(claimed, WaitingFor.PERSON, assignee, form, null);
  }

  /**
   * Parks a claimed task whose agent asked a person a question: like {@link #park}, but the answer
   * resumes the task (PENDING, fresh attempts) instead of completing it, and the orchestrator finds
   * {@code state} and the answer in the task's checkpoint when it runs again.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome askPerson(Task claimed, String assignee, JsonNode form, JsonNode state) {
    return parkForPerson(claimed, WaitingFor.ANSWER, assignee, form, checkpoint(state, null));
  }

  private TaskOutcome parkForPerson(
      Task claimed, WaitingFor waitingFor, String assignee, JsonNode form, JsonNode checkpoint) {
    return jdbi.inTransaction(
        h -> {
          parkClaimed(h, claimed, waitingFor, assignee, form, checkpoint);
          ProcessInstance instance =
              h.attach(InstanceDao.class).instanceLock(claimed.procInstId()).orElseThrow();
          h.attach(EventDao.class)
              .eventAppend(
                  instance.id(),
                  claimed.id(),
                  EventTypes.TASK_WAITING,
                  waitingEvent(claimed, waitingFor).put("assignee", assignee).set("form", form));
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
   * Splits a claimed task into child tasks, one per input, that any pod may claim: they run the
   * same activity (orchestrator and config) with their own input and no successors. The task waits
   * (WAITING for CHILDREN) until every child is DONE; then it runs again, with fresh attempts, and
   * finds {@code state} in its checkpoint and the children's outputs in {@link
   * ClaimedTask#children()}.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome spawnChildren(Task claimed, JsonNode state, List<JsonNode> childInputs) {
    if (childInputs.isEmpty()) throw new IllegalArgumentException("no child tasks to spawn");
    return jdbi.inTransaction(
        h -> {
          parkClaimed(h, claimed, WaitingFor.CHILDREN, null, null, checkpoint(state, null));
          ProcessInstance instance =
              h.attach(InstanceDao.class).instanceLock(claimed.procInstId()).orElseThrow();
          EventDao events = h.attach(EventDao.class);
          TaskDao tasks = h.attach(TaskDao.class);
          events.eventAppend(
              instance.id(),
              claimed.id(),
              EventTypes.TASK_WAITING,
              waitingEvent(claimed, WaitingFor.CHILDREN).put("children", childInputs.size()));
          for (JsonNode input : childInputs) {
            long childId =
                tasks.taskInsert(
                    new NewTask(
                        instance.id(),
                        claimed.activityId(),
                        claimed.orchestrator(),
                        claimed.priority(),
                        claimed.maxAttempts(),
                        input,
                        claimed.id()));
            events.eventAppend(
                instance.id(),
                childId,
                EventTypes.TASK_QUEUED,
                Json.object()
                    .put("activityId", claimed.activityId())
                    .put("orchestrator", claimed.orchestrator())
                    .put("parentTaskId", claimed.id()));
          }
          tasks.notifyTasksReady();
          settle(h, instance, null);
          return TaskOutcome.WAITING;
        });
  }

  /**
   * Starts a sub-process for a claimed task: an instance of {@code definitionId} ({@code version},
   * or the latest when null) with {@code input}, whose output completes the task when it completes
   * (WAITING for SUBPROCESS until then). A sub-process that fails or is cancelled makes the task
   * DEAD and its instance ERROR.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   * @throws dev.podflow.engine.definition.DefinitionNotFoundException when there is no such
   *     definition
   */
  public TaskOutcome startSubprocess(
      Task claimed, String definitionId, Integer version, JsonNode input) {
    return jdbi.inTransaction(
        h -> {
          PublishedDefinition published =
              version == null
                  ? catalog.latest(h, definitionId)
                  : catalog.get(h, definitionId, version);
          parkClaimed(h, claimed, WaitingFor.SUBPROCESS, null, null, null);
          ProcessInstance instance =
              h.attach(InstanceDao.class).instanceLock(claimed.procInstId()).orElseThrow();
          UUID childId =
              ProcessStarter.insert(
                      h,
                      published,
                      new StartCommand(
                          definitionId, input, null, "task:" + claimed.id(), instance.tenantId()),
                      claimed.id(),
                      notifier)
                  .orElseThrow()
                  .id();
          h.attach(EventDao.class)
              .eventAppend(
                  instance.id(),
                  claimed.id(),
                  EventTypes.TASK_WAITING,
                  waitingEvent(claimed, WaitingFor.SUBPROCESS)
                      .put("subprocessId", childId.toString())
                      .put("definitionId", definitionId)
                      .put("definitionVersion", published.version()));
          settle(h, instance, null);
          return TaskOutcome.WAITING;
        });
  }

  private static void parkClaimed(
      Handle h,
      Task claimed,
      WaitingFor waitingFor,
      String assignee,
      JsonNode form,
      JsonNode checkpoint) {
    if (h.attach(TaskDao.class)
            .taskPark(claimed.id(), claimed.claimToken(), waitingFor, assignee, form, checkpoint)
        == 0) {
      throw new StaleClaimException(claimed.id(), claimed.claimedBy());
    }
  }

  private static ObjectNode waitingEvent(Task task, WaitingFor waitingFor) {
    return Json.object()
        .put("activityId", task.activityId())
        .put("waitingFor", waitingFor.name())
        .put("podId", task.claimedBy());
  }

  /** A checkpoint column value: the orchestrator's state and, once given, a person's answer. */
  private static JsonNode checkpoint(JsonNode state, JsonNode answer) {
    ObjectNode checkpoint = Json.object();
    checkpoint.set("state", state == null ? Json.object() : state);
    if (answer != null) checkpoint.set("answer", answer);
    return checkpoint;
  }

  /**
   * A person's answer to a WAITING task. A task parked for a person ({@link #park}) is DONE with
   * {@code output} and the process goes on exactly as after a pod's completion (successors queued
   * and pods woken, or the instance completed); a task whose agent asked a question ({@link
   * #askPerson}) runs again with the answer in its checkpoint. One transaction; the task row is
   * locked first, so of two answers to one task exactly one succeeds.
   *
   * @return the task as the answer left it
   * @throws TaskNotFoundException when no task has the id
   * @throws TaskNotWaitingException when the task is not WAITING for a person (answered, cancelled,
   *     never parked, or waiting for child tasks, a sub-process or a join)
   * @throws FormViolationException when {@code output} does not satisfy the task's form
   */
  public Task completeByPerson(long taskId, JsonNode output) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          Task unlocked =
              tasks.taskGet(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
          lockParent(h, unlocked);
          Task waiting =
              tasks.taskLock(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
          if (waiting.status() != TaskStatus.WAITING || !waiting.waitingFor().isForPerson()) {
            throw new TaskNotWaitingException(taskId, waiting.status(), waiting.waitingFor());
          }
          if (waiting.form() != null) {
            List<FormSchema.Violation> violations = FormSchema.validate(waiting.form(), output);
            if (!violations.isEmpty()) throw new FormViolationException(taskId, violations);
          }
          if (waiting.waitingFor() == WaitingFor.ANSWER) {
            JsonNode state =
                waiting.checkpoint() == null ? null : waiting.checkpoint().get("state");
            Task resumed = tasks.taskResume(taskId, checkpoint(state, output)).orElseThrow();
            ProcessInstance instance =
                h.attach(InstanceDao.class).instanceLock(resumed.procInstId()).orElseThrow();
            h.attach(EventDao.class)
                .eventAppend(
                    instance.id(),
                    taskId,
                    EventTypes.TASK_RESUMED,
                    Json.object()
                        .put("activityId", resumed.activityId())
                        .put("waitedFor", WaitingFor.ANSWER.name())
                        .put("assignee", resumed.assignee())
                        .set("answer", output));
            tasks.notifyTasksReady();
            settle(h, instance, null);
            return resumed;
          }
          Task done =
              tasks
                  .taskCompleteWaiting(taskId, output)
                  .orElseThrow(() -> new TaskNotWaitingException(taskId, waiting.status(), null));
          recordCompletion(
              h,
              done,
              output,
              attemptOf(done)
                  .put("completedBy", COMPLETED_BY_HUMAN)
                  .put("assignee", done.assignee()));
          return done;
        });
  }

  /**
   * Locks the parent of a child task before the child's own row: completing a child changes its
   * parent, and every other transaction that locks both (a cancel) locks in id order, parent first.
   */
  private static void lockParent(Handle h, Task task) {
    if (task.parentTaskId() != null) h.attach(TaskDao.class).taskLock(task.parentTaskId());
  }

  /** {@link #lockParent} for several completions: each parent once, in id order. */
  private static void lockParents(Handle h, List<Completion> completions) {
    completions.stream()
        .map(c -> c.task().parentTaskId())
        .filter(Objects::nonNull)
        .distinct()
        .sorted()
        .forEach(parent -> h.attach(TaskDao.class).taskLock(parent));
  }

  /**
   * What follows a task's completion, in the completing transaction (the task row already locked by
   * its update): the {@code task_completed} event, the successors queued and the pods woken, and
   * the instance settled. {@code payload} is the event's, without the output.
   */
  private void recordCompletion(Handle h, Task task, JsonNode output, ObjectNode payload) {
    ProcessInstance instance =
        h.attach(InstanceDao.class).instanceLock(task.procInstId()).orElseThrow();
    h.attach(EventDao.class)
        .eventAppend(
            instance.id(), task.id(), EventTypes.TASK_COMPLETED, payload.set("output", output));
    followCompletion(h, instance, task, output);
  }

  /** {@link #followCompletions} for one task, and the instance settled. */
  private void followCompletion(Handle h, ProcessInstance instance, Task task, JsonNode output) {
    if (followCompletions(h, instance, List.of(new Completion(task, output)))) {
      settle(h, instance, output);
    }
  }

  /**
   * What follows completions of one instance once their tasks are DONE, the instance locked ({@code
   * instance} as it is under the lock) and the {@code task_completed} events written: for each, its
   * successors queued (one statement each, with their event) or its join arrived at, or, for a
   * child task, its parent resumed when it was the last child; then, once, the joins released that
   * no open task can still reach and the pods woken after the commit. Returns whether the instance
   * is to be settled next (with the last completion's output), which the caller does.
   */
  private boolean followCompletions(
      Handle h, ProcessInstance instance, List<Completion> completions) {
    if (instance.status() == InstanceStatus.CANCELLED) {
      return false; // nothing follows a cancelled instance
    }
    ProcessDefinition definition = null;
    boolean queued = false;
    for (Completion c : completions) {
      Task task = c.task();
      if (task.parentTaskId() != null) {
        resumeParentWhenChildrenDone(h, instance, task.parentTaskId());
        continue;
      }
      // In an ERROR instance (another branch died) this branch still queues what follows it:
      // work already done is kept, and a retry by hand finds the whole process to resume.
      if (definition == null) {
        definition = catalog.get(h, instance.procDefId(), instance.procDefVersion()).definition();
      }
      for (Activity next :
          definition.successorsOf(task.activityId(), c.output(), instance.input())) {
        if (next.join()) {
          arriveAtJoin(h, instance, next, task.activityId(), c.output());
          continue;
        }
        HotSql.insertQueued(
            h,
            new NewTask(
                instance.id(),
                next.id(),
                next.orchestrator(),
                next.priority(),
                next.maxAttempts(),
                c.output(),
                null));
        queued = true;
      }
    }
    // Also when no successor was chosen: a branch that ends may be the one a join waited for.
    // Definitions without joins have nothing to release.
    if (definition != null && definition.hasJoins()) {
      queued |= releaseReadyJoins(h, instance, definition);
    }
    if (queued) notifyAfterCommit(h, TASKS_CHANNEL, "");
    return true;
  }

  /**
   * A branch reaches a join: the first one creates the join's task, WAITING for JOIN; each adds its
   * output to the task's input under its activity id. Arrivals are serialized by the instance lock
   * that every completion holds.
   */
  private static void arriveAtJoin(
      Handle h, ProcessInstance instance, Activity join, String from, JsonNode output) {
    TaskDao tasks = h.attach(TaskDao.class);
    ObjectNode arrival = Json.object();
    arrival.set(from, output == null ? Json.object() : output);
    Optional<Task> waiting = tasks.taskFindJoin(instance.id(), join.id());
    long taskId;
    if (waiting.isPresent()) {
      taskId = waiting.get().id();
      tasks.taskJoinArrive(taskId, arrival);
    } else {
      taskId =
          tasks.taskInsertJoin(
              new NewTask(
                  instance.id(),
                  join.id(),
                  join.orchestrator(),
                  join.priority(),
                  join.maxAttempts(),
                  arrival,
                  null));
    }
    h.attach(EventDao.class)
        .eventAppend(
            instance.id(),
            taskId,
            EventTypes.JOIN_ARRIVED,
            Json.object().put("activityId", join.id()).put("from", from));
  }

  /**
   * Starts every waiting join that no open task of the instance can still reach; true when one
   * started. A DEAD task counts as open, since a retry by hand can bring its branch back.
   */
  private static boolean releaseReadyJoins(
      Handle h, ProcessInstance instance, ProcessDefinition definition) {
    TaskDao tasks = h.attach(TaskDao.class);
    List<Task> open = tasks.taskListOpen(instance.id());
    boolean released = false;
    for (Task join : open) {
      if (join.status() != TaskStatus.WAITING || join.waitingFor() != WaitingFor.JOIN) continue;
      boolean awaited =
          open.stream()
              .anyMatch(
                  t ->
                      t.id() != join.id()
                          && definition.canReach(t.activityId(), join.activityId()));
      if (awaited || tasks.taskReleaseJoin(join.id()) == 0) continue;
      h.attach(EventDao.class)
          .eventAppend(
              instance.id(),
              join.id(),
              EventTypes.TASK_QUEUED,
              Json.object()
                  .put("activityId", join.activityId())
                  .put("orchestrator", join.orchestrator())
                  .set("joined", join.input()));
      released = true;
    }
    return released;
  }

  /** The last child to finish makes its parent PENDING again, its checkpoint kept. */
  private static void resumeParentWhenChildrenDone(
      Handle h, ProcessInstance instance, long parentTaskId) {
    TaskDao tasks = h.attach(TaskDao.class);
    if (tasks.taskCountUnfinishedChildren(parentTaskId) > 0) return;
    Task parent = tasks.taskLock(parentTaskId).orElseThrow();
    if (parent.status() != TaskStatus.WAITING || parent.waitingFor() != WaitingFor.CHILDREN) {
      return; // cancelled meanwhile
    }
    tasks.taskResume(parentTaskId, parent.checkpoint()).orElseThrow();
    h.attach(EventDao.class)
        .eventAppend(
            instance.id(),
            parentTaskId,
            EventTypes.TASK_RESUMED,
            Json.object()
                .put("activityId", parent.activityId())
                .put("waitedFor", WaitingFor.CHILDREN.name()));
    tasks.notifyTasksReady();
  }

  /**
   * A sub-process instance has just completed: when the task that started it still waits for it,
   * the task completes with the sub-process output. Lock order: the sub-process's rows are held,
   * then the parent task, then its instance — descendants before ancestors, on every path.
   */
  private void completeParentTask(Handle h, ProcessInstance subprocess, JsonNode output) {
    Task parent = waitingParent(h, subprocess);
    if (parent == null) return;
    Task done = h.attach(TaskDao.class).taskCompleteWaiting(parent.id(), output).orElseThrow();
    recordCompletion(
        h,
        done,
        output,
        attemptOf(done)
            .put("completedBy", "subprocess")
            .put("subprocessId", subprocess.id().toString()));
  }

  /**
   * A sub-process instance has just failed or been cancelled ({@code what} says how): when the task
   * that started it still waits for it, the task is DEAD and its instance in ERROR. Same lock order
   * as {@link #completeParentTask}.
   */
  static void failParentTask(Handle h, ProcessInstance subprocess, String what) {
    Task parent = waitingParent(h, subprocess);
    if (parent == null) return;
    String error = "sub-process " + subprocess.procDefId() + " " + subprocess.id() + " " + what;
    Task dead = h.attach(TaskDao.class).taskMarkDeadWaiting(parent.id(), error).orElseThrow();
    failInstance(h, dead, error, "its sub-process did not complete");
  }

  /** The task that started {@code subprocess}, locked, if it still waits for it; else null. */
  private static Task waitingParent(Handle h, ProcessInstance subprocess) {
    if (subprocess.parentTaskId() == null) return null;
    Task parent = h.attach(TaskDao.class).taskLock(subprocess.parentTaskId()).orElse(null);
    boolean waiting =
        parent != null
            && parent.status() == TaskStatus.WAITING
            && parent.waitingFor() == WaitingFor.SUBPROCESS;
    return waiting ? parent : null; // else cancelled, or it already gave up on this sub-process
  }

  /**
   * Re-evaluates an unfinished instance after one of its tasks changed: COMPLETED (with {@code
   * output}) when no task is left, RUNNING while a pod has something to run, WAITING while only
   * people do. A finished instance (ERROR included) keeps its status.
   */
  private void settle(Handle h, ProcessInstance instance, JsonNode output) {
    settleAll(h, List.of(new Settling(instance, output)));
  }

  /** An instance to settle, as it is under its lock, and its output should it complete. */
  private record Settling(ProcessInstance instance, JsonNode output) {}

  /** {@link #settle} for several instances in one statement; a finished one is left alone. */
  private void settleAll(Handle h, List<Settling> instances) {
    List<Settling> unfinished =
        instances.stream().filter(s -> !s.instance().status().isFinished()).toList();
    if (unfinished.isEmpty()) return;
    // Counts, status changes and process_completed events in one statement.
    Map<UUID, InstanceStatus> settled =
        HotSql.settle(
            h,
            unfinished.stream().map(s -> s.instance().id()).toList(),
            unfinished.stream().map(Settling::output).toList());
    for (Settling s : unfinished) {
      if (settled.get(s.instance().id()) == InstanceStatus.COMPLETED) {
        notifyAfterCommit(h, EVENTS_CHANNEL, s.instance().id().toString());
        completeParentTask(h, s.instance(), s.output());
      }
    }
  }

  /**
   * Sends a notification once {@code h}'s transaction has committed, outside it: a wake-up for the
   * pods at once, an events notice (read by SSE followers) within the notifier's linger.
   */
  private void notifyAfterCommit(Handle h, String channel, String payload) {
    if (channel.equals(TASKS_CHANNEL)) {
      h.afterCommit(() -> notifier.send(channel, payload));
    } else {
      h.afterCommit(() -> notifier.sendSoon(channel, payload));
    }
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
                    attemptOf(task)
                        .put("podId", task.claimedBy())
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

  /**
   * Records a task's death: a {@code task_dead} event and, unless the instance has finished, the
   * instance in ERROR with a {@code process_failed} event, an operator notification, and the task
   * that started it as a sub-process (if any) dead too.
   */
  static void failInstance(Handle h, Task task, String error, String why) {
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
      failParentTask(
          h, instance, "failed at " + task.activityId() + ": " + (error == null ? "" : error));
    }
  }

  /** The start of a task event's payload: which activity, which attempt. */
  private static ObjectNode attemptOf(Task task) {
    return Json.object().put("activityId", task.activityId()).put("attempt", task.attempts());
  }

  private static ObjectNode failure(Task task, String error) {
    return attemptOf(task).put("maxAttempts", task.maxAttempts()).put("error", error);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
