package dev.podflow.engine.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.store.Json;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.task.CancelledTask;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.WaitingFor;
import java.time.Duration;
import java.util.UUID;

/**
 * The events the engine appends in Java, one method per event and the only place each payload is
 * built; every append also {@linkplain Notice#newEvents notices} the instance's SSE followers once
 * the transaction commits. The hot statements build the payloads of their own events in SQL, with
 * the fields named there: {@code task_claimed} ({@code activityId, podId, attempt}), {@code
 * task_queued} ({@code activityId, orchestrator}), {@code task_completed} ({@code activityId,
 * attempt, output}) and {@code process_completed} ({@code output}); {@link #processStarted} builds
 * the payload its statement writes. Confined to its transaction's thread.
 */
public final class EventWriter {
  /** {@code completedBy} in the {@code task_completed} event of a task a person answered. */
  public static final String COMPLETED_BY_HUMAN = "human";

  private final QueueTx tx;
  private EventDao dao;

  EventWriter(QueueTx tx) {
    this.tx = tx;
  }

  /** The payload of {@code process_started}, which the start's own statement appends. */
  public static ObjectNode processStarted(
      String definitionId, int version, Long parentTaskId, String by) {
    ObjectNode payload =
        Json.object().put("definitionId", definitionId).put("definitionVersion", version);
    if (parentTaskId != null) payload.put("parentTaskId", parentTaskId);
    if (by != null) payload.put("by", by);
    return payload;
  }

  /** A claimed task parked for a person ({@code human}) or asking one ({@code ask_human}). */
  public void waitingForPerson(
      Task claimed, WaitingFor waitingFor, String assignee, JsonNode form) {
    ObjectNode payload = waiting(claimed, waitingFor).put("assignee", assignee);
    payload.set("form", form);
    append(claimed, EventTypes.TASK_WAITING, payload);
  }

  /** A claimed task split into {@code children} child tasks. */
  public void waitingForChildren(Task claimed, int children) {
    append(
        claimed,
        EventTypes.TASK_WAITING,
        waiting(claimed, WaitingFor.CHILDREN).put("children", children));
  }

  /** A claimed task waiting for the sub-process it started. */
  public void waitingForSubprocess(
      Task claimed, UUID subprocessId, String definitionId, int definitionVersion) {
    append(
        claimed,
        EventTypes.TASK_WAITING,
        waiting(claimed, WaitingFor.SUBPROCESS)
            .put("subprocessId", subprocessId.toString())
            .put("definitionId", definitionId)
            .put("definitionVersion", definitionVersion));
  }

  /** A child task queued by {@code parent}. */
  public void childQueued(Task parent, long childId) {
    append(
        parent.procInstId(),
        childId,
        EventTypes.TASK_QUEUED,
        Json.object()
            .put("activityId", parent.activityId())
            .put("orchestrator", parent.orchestrator())
            .put("parentTaskId", parent.id()));
  }

  /** A waiting join made PENDING, with the outputs that arrived at it. */
  public void joinReleased(Task join) {
    append(
        join,
        EventTypes.TASK_QUEUED,
        Json.object()
            .put("activityId", join.activityId())
            .put("orchestrator", join.orchestrator())
            .set("joined", join.input()));
  }

  /** A DEAD task queued again by an operator's retry. */
  public void requeuedByRetry(Task task) {
    append(
        task,
        EventTypes.TASK_QUEUED,
        Json.object()
            .put("activityId", task.activityId())
            .put("orchestrator", task.orchestrator())
            .put("retriedAfter", task.lastError()));
  }

  /** A branch ({@code from}) arrived at the join task {@code joinTaskId}. */
  public void joinArrived(UUID instanceId, long joinTaskId, String joinActivityId, String from) {
    append(
        instanceId,
        joinTaskId,
        EventTypes.JOIN_ARRIVED,
        Json.object().put("activityId", joinActivityId).put("from", from));
  }

  /**
   * A loop led back to an activity that has run its {@code maxPasses}: {@code refused} is the pass
   * that may not run (written DEAD), {@code from} the activity whose transition led there.
   */
  public void passLimitReached(Task refused, int maxPasses, String from) {
    append(
        refused,
        EventTypes.PASS_LIMIT_REACHED,
        Json.object()
            .put("activityId", refused.activityId())
            .put("pass", refused.pass())
            .put("maxPasses", maxPasses)
            .put("from", from));
  }

  /**
   * A condition of {@code completed}'s transition to {@code to} was neither true nor false, so the
   * transition was not taken; {@code problem} says why.
   */
  public void conditionFailed(Task completed, String to, String when, String problem) {
    append(
        completed,
        EventTypes.CONDITION_FAILED,
        Json.object()
            .put("activityId", completed.activityId())
            .put("to", to)
            .put("when", when)
            .put("problem", problem));
  }

  /** A waiting task PENDING again: its child tasks are done. */
  public void resumedAfterChildren(Task task) {
    append(task, EventTypes.TASK_RESUMED, resumed(task, WaitingFor.CHILDREN));
  }

  /**
   * A waiting task PENDING again with the answer {@code by} gave to its agent's question or request
   * for approval ({@code waitedFor}; see {@link #completedByPerson} for {@code by}).
   */
  public void resumedWithAnswer(Task task, WaitingFor waitedFor, JsonNode answer, String by) {
    append(
        task,
        EventTypes.TASK_RESUMED,
        resumed(task, waitedFor)
            .put("assignee", task.assignee())
            .put("by", by)
            .set("answer", answer));
  }

  /**
   * A task a person completed with {@code output}; {@code by} names who sent the answer (the API's
   * principal: {@code key:<id>} or {@code jwt:<subject>}), which may be an operator answering for
   * the assignee.
   */
  public void completedByPerson(Task done, JsonNode output, String by) {
    append(
        done,
        EventTypes.TASK_COMPLETED,
        attempt(done)
            .put("completedBy", COMPLETED_BY_HUMAN)
            .put("assignee", done.assignee())
            .put("by", by)
            .set("output", output));
  }

  /** A task completed with the output of the sub-process it waited for. */
  public void completedBySubprocess(Task done, UUID subprocessId, JsonNode output) {
    append(
        done,
        EventTypes.TASK_COMPLETED,
        attempt(done)
            .put("completedBy", "subprocess")
            .put("subprocessId", subprocessId.toString())
            .set("output", output));
  }

  /** A failed attempt that runs again after {@code delay}. */
  public void failedForRetry(Task task, String error, Duration delay) {
    append(task, EventTypes.TASK_FAILED, failure(task, error).put("retryInMs", delay.toMillis()));
  }

  /** A task that will not run again on its own; {@code reason} says why. */
  public void dead(Task task, String error, String reason) {
    append(task, EventTypes.TASK_DEAD, failure(task, error).put("reason", reason));
  }

  /**
   * An instance in ERROR because {@code task} died; returns the payload, which is also the
   * instance's output.
   */
  public ObjectNode processFailed(Task task, String error) {
    ObjectNode output = failure(task, error).put("taskId", task.id());
    append(task.procInstId(), task.id(), EventTypes.PROCESS_FAILED, output);
    return output;
  }

  /** A claimed task handed back without counting the attempt. */
  public void released(Task claimed, String reason) {
    append(
        claimed,
        EventTypes.TASK_RELEASED,
        Json.object()
            .put("activityId", claimed.activityId())
            .put("podId", claimed.claimedBy())
            .put("reason", reason));
  }

  /**
   * A claimed task handed back to run again in {@code delay} (waiting for something outside, such
   * as an A2A peer's task), its slot freed and its attempt not counted.
   */
  public void pollScheduled(Task claimed, Duration delay) {
    append(
        claimed,
        EventTypes.TASK_POLL_SCHEDULED,
        Json.object()
            .put("activityId", claimed.activityId())
            .put("podId", claimed.claimedBy())
            .put("delayMs", delay.toMillis()));
  }

  /** A claim whose lease ran out, as the rescuer left the task (PENDING or DEAD). */
  public void leaseExpired(Task rescued) {
    append(
        rescued,
        EventTypes.TASK_LEASE_EXPIRED,
        attempt(rescued).put("podId", rescued.claimedBy()).put("status", rescued.status().name()));
  }

  /** A task cancelled with its instance. */
  public void cancelled(CancelledTask task) {
    ObjectNode payload =
        Json.object()
            .put("activityId", task.activityId())
            .put("previousStatus", task.previousStatus().name());
    if (task.wasRunning()) payload.put("podId", task.claimedBy());
    append(task.procInstId(), task.id(), EventTypes.TASK_CANCELLED, payload);
  }

  /** An instance cancelled {@code by} someone (or with its parent, when that was cancelled). */
  public void processCancelled(
      UUID instanceId,
      InstanceStatus previousStatus,
      int tasksCancelled,
      int tasksInterrupted,
      String by) {
    append(
        instanceId,
        null,
        EventTypes.PROCESS_CANCELLED,
        Json.object()
            .put("by", by)
            .put("previousStatus", previousStatus.name())
            .put("tasksCancelled", tasksCancelled)
            .put("tasksInterrupted", tasksInterrupted));
  }

  public void processRetried(UUID instanceId, int tasksQueued, String by) {
    append(
        instanceId,
        null,
        EventTypes.PROCESS_RETRIED,
        Json.object().put("by", by).put("tasksQueued", tasksQueued));
  }

  /**
   * An event an orchestrator records while it runs {@code claimed}, written only while the claim is
   * held; returns its id.
   *
   * @throws StaleClaimException when the claim is gone; nothing written
   */
  public long byClaimHolder(Task claimed, String type, JsonNode payload) {
    long id =
        dao()
            .eventAppendForClaim(claimed.id(), claimed.claimToken(), type, payload)
            .orElseThrow(() -> new StaleClaimException(claimed.id(), claimed.claimedBy()));
    tx.afterCommit(Notice.newEvents(claimed.procInstId()));
    return id;
  }

  private ObjectNode append(Task task, String type, ObjectNode payload) {
    return append(task.procInstId(), task.id(), type, payload);
  }

  private ObjectNode append(UUID instanceId, Long taskId, String type, ObjectNode payload) {
    dao().eventAppend(instanceId, taskId, type, payload);
    tx.afterCommit(Notice.newEvents(instanceId));
    return payload;
  }

  private EventDao dao() {
    if (dao == null) dao = tx.handle().attach(EventDao.class);
    return dao;
  }

  private static ObjectNode waiting(Task task, WaitingFor waitingFor) {
    return Json.object()
        .put("activityId", task.activityId())
        .put("waitingFor", waitingFor.name())
        .put("podId", task.claimedBy());
  }

  private static ObjectNode resumed(Task task, WaitingFor waitedFor) {
    return Json.object().put("activityId", task.activityId()).put("waitedFor", waitedFor.name());
  }

  private static ObjectNode attempt(Task task) {
    return Json.object().put("activityId", task.activityId()).put("attempt", task.attempts());
  }

  private static ObjectNode failure(Task task, String error) {
    return attempt(task).put("maxAttempts", task.maxAttempts()).put("error", error);
  }
}
