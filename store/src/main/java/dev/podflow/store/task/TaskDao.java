package dev.podflow.store.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code todolist} queue. Every statement that ends or extends a claim is fenced by the claim
 * token: a pod whose claim was taken away changes nothing. SQL lives in {@code TaskDao/*.sql}.
 */
public interface TaskDao {

  /** Enqueues a task and returns its id; the caller wakes the pods after the commit. */
  @SqlQuery
  long taskInsert(@BindMethods NewTask task);

  /**
   * Extends the leases of the claims still held ({@code ids[k]} with {@code claimTokens[k]}) and
   * returns the ids extended; a claim that is gone is left alone.
   */
  @SqlQuery
  List<Long> taskRenewLeases(
      @Bind("ids") long[] ids,
      @Bind("claimTokens") UUID[] claimTokens,
      @Bind("leaseSeconds") double leaseSeconds);

  /** True while the claim token names the task's latest claim, running or just finished by it. */
  @SqlQuery
  boolean taskClaimHeld(@Bind("id") long id, @Bind("claimToken") UUID claimToken);

  /** Ends an attempt as FAILED, claimable again after {@code retryDelaySeconds}; fenced. */
  @SqlUpdate
  int taskFailForRetry(
      @Bind("id") long id,
      @Bind("claimToken") UUID claimToken,
      @Bind("error") String error,
      @Bind("retryDelaySeconds") double retryDelaySeconds);

  /** Ends a claimed task as DEAD; fenced. */
  @SqlUpdate
  int taskMarkDead(
      @Bind("id") long id, @Bind("claimToken") UUID claimToken, @Bind("error") String error);

  /** Hands a claimed task back as PENDING without counting the attempt; fenced. */
  @SqlUpdate
  int taskRelease(@Bind("id") long id, @Bind("claimToken") UUID claimToken);

  /**
   * Parks a claimed task: WAITING for {@code waitingFor}, lease cleared; {@code assignee} and
   * {@code form} ({@code null}: any object) name who answers and how when a person does, {@code
   * checkpoint} is what the orchestrator reads when the task runs again. Fenced: 0 rows means the
   * claim is gone and nothing changed.
   */
  @SqlUpdate
  int taskPark(
      @Bind("id") long id,
      @Bind("claimToken") UUID claimToken,
      @Bind("waitingFor") WaitingFor waitingFor,
      @Bind("assignee") String assignee,
      @Bind("form") JsonNode form,
      @Bind("checkpoint") JsonNode checkpoint);

  /**
   * Stores a running task's progress checkpoint ({@code checkpoint.progress}), which the next
   * attempt of the task resumes from; the rest of the checkpoint (a parked task's state and answer)
   * stays. Fenced: 0 rows means the claim is gone and nothing changed.
   */
  @SqlUpdate
  int taskSaveProgress(
      @Bind("id") long id,
      @Bind("claimToken") UUID claimToken,
      @Bind("progress") JsonNode progress);

  /** Reads a task and locks its row until the transaction ends. */
  @SqlQuery
  Optional<Task> taskLock(@Bind("id") long id);

  /**
   * Reads a task WAITING for {@code waitingFor} and locks its row; empty when it does not wait so.
   */
  @SqlQuery
  Optional<Task> taskLockWaiting(@Bind("id") long id, @Bind("waitingFor") WaitingFor waitingFor);

  /**
   * Makes a WAITING task PENDING again, due now, with attempts 0 and {@code checkpoint}; empty when
   * it was not WAITING.
   */
  @SqlQuery
  Optional<Task> taskResume(@Bind("id") long id, @Bind("checkpoint") JsonNode checkpoint);

  /**
   * Hands a claimed task back to run again in {@code delaySeconds}, without counting the attempt,
   * with {@code checkpoint} and the SHA-256 of a fresh wake token. Fenced: 0 rows means the claim
   * is gone and nothing changed.
   */
  @SqlUpdate
  int taskPollLater(
      @Bind("id") long id,
      @Bind("claimToken") UUID claimToken,
      @Bind("delaySeconds") double delaySeconds,
      @Bind("checkpoint") JsonNode checkpoint,
      @Bind("wakeTokenHash") byte[] wakeTokenHash);

  /**
   * The wake token hash of a PENDING task of any tenant; empty when it has none or is not PENDING.
   */
  @SqlQuery
  Optional<byte[]> taskWakeTokenHash(@Bind("id") long id);

  /** Makes the PENDING task holding this wake token hash due now; false when none does. */
  @SqlQuery
  boolean taskWake(@Bind("id") long id, @Bind("wakeTokenHash") byte[] wakeTokenHash);

  /** How many child tasks of the parent are not DONE. */
  @SqlQuery
  int taskCountUnfinishedChildren(@Bind("parentTaskId") long parentTaskId);

  /** The child tasks of a parent, in id order. */
  @SqlQuery
  List<Task> taskListChildren(@Bind("parentTaskId") long parentTaskId);

  /** Ends a WAITING task as DEAD with {@code error}; empty when it was not WAITING. */
  @SqlQuery
  Optional<Task> taskMarkDeadWaiting(@Bind("id") long id, @Bind("error") String error);

  /**
   * Completes a WAITING task with a person's answer; empty when it is not WAITING (nothing
   * changed).
   */
  @SqlQuery
  Optional<Task> taskCompleteWaiting(@Bind("id") long id, @Bind("output") JsonNode output);

  /**
   * The inbox: up to {@code limit} tasks of the tenant WAITING for a person, of {@code assignee}
   * or, when it is {@code null}, of everyone, newest first by {@code (created_at, id)}: after the
   * position {@code (afterCreatedAt, afterId)}, or from the newest when {@code afterCreatedAt} is
   * null.
   */
  @SqlQuery
  List<Task> taskListWaiting(
      @Bind("tenantId") String tenantId,
      @Bind("assignee") String assignee,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") Long afterId,
      @Bind("limit") int limit);

  /** True when this transaction may rescue; false when another one is rescuing right now. */
  @SqlQuery
  boolean taskRescueTryLock();

  /**
   * Takes back up to {@code limit} tasks whose lease expired: PENDING again, or DEAD when no
   * attempt is left. Returns the rows as they are afterwards.
   */
  @SqlQuery
  List<Task> taskRescueExpired(@Bind("limit") int limit);

  @SqlQuery
  Optional<Task> taskGet(@Bind("id") long id);

  @SqlQuery
  List<Task> taskListByInstance(@Bind("procInstId") UUID procInstId);

  /**
   * The latest DONE task of each activity of the instance (child tasks aside), one per activity.
   */
  @SqlQuery
  List<Task> taskListLatestDone(@Bind("procInstId") UUID procInstId);

  /** Unfinished tasks grouped by orchestrator and status. */
  @SqlQuery
  List<QueueDepth> taskCountQueueDepth();

  /** Seconds the longest-waiting due task has waited; 0 when no task is due. */
  @SqlQuery
  double taskOldestPendingAgeSeconds();

  /**
   * Locks all tasks of the instance, in id order, until the transaction ends; returns their ids.
   * Commands on a whole instance take these locks before the instance row.
   */
  @SqlQuery
  List<Long> taskLockByInstance(@Bind("procInstId") UUID procInstId);

  /**
   * Cancels the instance's PENDING, FAILED, WAITING and IN_PROGRESS tasks: CANCELLED, finished,
   * claim token and lease cleared (so a running pod's late write is refused). Returns each with the
   * status it had.
   */
  @SqlQuery
  List<CancelledTask> taskCancelByInstance(@Bind("procInstId") UUID procInstId);

  /**
   * Puts the instance's DEAD tasks back in the queue: PENDING, due now, attempts 0, claim and
   * finish cleared, {@code last_error} kept. Returns them as they are afterwards.
   */
  @SqlQuery
  List<Task> taskRequeueDead(@Bind("procInstId") UUID procInstId);

  /** The highest pass of the activity in the instance so far, child tasks aside; 0 when none. */
  @SqlQuery
  int taskLatestPass(@Bind("procInstId") UUID procInstId, @Bind("activityId") String activityId);

  /** Writes a task that may not run as DEAD with {@code error}; returns it. */
  @SqlQuery
  Task taskInsertDead(@BindMethods NewTask task, @Bind("error") String error);

  /** The task of a join activity still WAITING for branches in this instance, if any. */
  @SqlQuery
  Optional<Task> taskFindJoin(
      @Bind("procInstId") UUID procInstId, @Bind("activityId") String activityId);

  /** Inserts the task of a join activity, WAITING for the other branches; returns its id. */
  @SqlQuery
  long taskInsertJoin(@BindMethods NewTask task);

  /** Merges {@code arrival} (an object: activity id → output) into a waiting join's input. */
  @SqlUpdate
  int taskJoinArrive(@Bind("id") long id, @Bind("arrival") JsonNode arrival);

  /** The instance's tasks that are not over (DEAD included: a retry can revive them), by id. */
  @SqlQuery
  List<Task> taskListOpen(@Bind("procInstId") UUID procInstId);

  /** Makes a waiting join PENDING; 0 when it was not waiting. */
  @SqlUpdate
  int taskReleaseJoin(@Bind("id") long id);
}
