package dev.podflow.engine.navigation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.Successors;
import dev.podflow.engine.failure.FailurePolicy;
import dev.podflow.engine.outbox.Outbox;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What follows a step, inside the transaction that ended it (Flowable's {@code
 * TakeOutgoingSequenceFlowsOperation}): the successors its transitions choose, queued — as a new
 * pass when a loop leads back to an activity, and refused (the instance in ERROR) past its {@code
 * maxPasses}; the joins they arrive at, and released once no open task can still reach them in the
 * same pass; a child task's parent run again when its last child is done; and the instance settled
 * — completed when nothing is left, which completes the task waiting for it as a sub-process.
 *
 * <p>Locks, taken by the callers before they come here: the ended tasks' rows, then their
 * instance's row (every step transition holds it, so completions of one instance see each other's
 * writes and a cancel that committed first). Here, in that order: a join's task row, a parent
 * task's row (already held when a child completes, see {@link Completions}), and for a completed
 * sub-process the waiting parent task's row and then its instance's row — descendants before
 * ancestors on every path. Thread-safe; its state is the definition catalog.
 */
public final class Navigator {
  private final DefinitionCatalog catalog;
  private final FailurePolicy failures;
  private final Outbox outbox;

  public Navigator(DefinitionCatalog catalog, FailurePolicy failures, Outbox outbox) {
    this.catalog = catalog;
    this.failures = failures;
    this.outbox = outbox;
  }

  /**
   * Follows completions of one instance once their tasks are DONE, the instance locked ({@code
   * instance} as it is under the lock) and their {@code task_completed} events written: for each,
   * its successors queued (one statement each, with their event) or its join arrived at, or, for a
   * child task, its parent resumed when it was the last child; then, once, the joins released that
   * no open task can still reach, and the pods woken after the commit. Returns whether the instance
   * is to be settled next, which the caller does (with the last completion's output): not when it
   * was cancelled, nor when a loop ran past its limit and put it in ERROR.
   */
  boolean follow(QueueTx tx, ProcessInstance instance, List<Completion> completions) {
    tx.afterCommit(Notice.newEvents(instance.id()));
    if (instance.status() == InstanceStatus.CANCELLED) {
      return false; // nothing follows a cancelled instance
    }
    ProcessDefinition definition = null;
    DoneSteps steps = new DoneSteps(tx, instance.id()); // read once, if a condition reads steps
    boolean queued = false;
    boolean failed = false;
    for (Completion c : completions) {
      Task task = c.task();
      if (task.parentTaskId() != null) {
        queued |= resumeParentWhenChildrenDone(tx, task.parentTaskId());
        continue;
      }
      // In an ERROR instance (another branch died) this branch still queues what follows it:
      // work already done is kept, and a retry by hand finds the whole process to resume.
      if (definition == null) definition = definitionOf(tx, instance);
      Successors successors =
          definition.successorsOf(task.activityId(), c.output(), instance.input(), steps);
      for (Successors.UndecidedCondition undecided : successors.undecided()) {
        tx.events().conditionFailed(task, undecided.to(), undecided.when(), undecided.problem());
      }
      for (Activity next : successors.activities()) {
        if (next.join()) {
          failed |= !arriveAtJoin(tx, instance, definition, next, task.activityId(), c.output());
        } else {
          int pass = nextPass(tx, instance, definition, next);
          if (pass > next.maxPasses()) {
            refusePass(tx, instance, next, pass, task.activityId(), c.output());
            failed = true;
          } else {
            HotSql.insertQueued(tx.handle(), next.newTask(instance.id(), c.output(), pass));
            queued = true;
          }
        }
      }
    }
    // Also when no successor was chosen: a branch that ends may be the one a join waited for.
    // Definitions without joins have nothing to release.
    if (definition != null && definition.hasJoins()) {
      queued |= releaseReadyJoins(tx, instance, definition);
    }
    if (queued) tx.afterCommit(Notice.tasksReady());
    return !failed;
  }

  /** The pass a new task of {@code activity} runs: 1, or one more than the latest in a loop. */
  private static int nextPass(
      QueueTx tx, ProcessInstance instance, ProcessDefinition definition, Activity activity) {
    if (!definition.inLoop(activity.id())) return 1;
    return tx.tasks().taskLatestPass(instance.id(), activity.id()) + 1;
  }

  /**
   * A loop led back to {@code activity} once more than its {@code maxPasses} allow: the pass is
   * written DEAD (a retry by hand runs it after all) and the instance is in ERROR.
   */
  private void refusePass(
      QueueTx tx,
      ProcessInstance instance,
      Activity activity,
      int pass,
      String from,
      JsonNode input) {
    String error =
        "activity '"
            + activity.id()
            + "' has run "
            + activity.maxPasses()
            + " passes, its maxPasses; the loop from '"
            + from
            + "' may not lead back to it again";
    Task refused = tx.tasks().taskInsertDead(activity.newTask(instance.id(), input, pass), error);
    tx.events().passLimitReached(refused, activity.maxPasses(), from);
    failures.taskDied(tx, refused, error, "its activity reached maxPasses");
  }

  /**
   * Completes a task that did not end through a pod's claim (a person's answer, a sub-process's
   * output), its row DONE and its event written: the instance locked, what follows it queued, the
   * instance settled.
   */
  public void completed(QueueTx tx, Task done, JsonNode output) {
    ProcessInstance instance = tx.instances().instanceLock(done.procInstId()).orElseThrow();
    if (follow(tx, instance, List.of(new Completion(done, output)))) {
      settle(tx, List.of(new Settling(instance, output)));
    }
  }

  /** An instance to settle, as it is under its lock, and its output should it complete. */
  public record Settling(ProcessInstance instance, JsonNode output) {}

  /**
   * Re-evaluates unfinished instances after their tasks changed, in one statement: COMPLETED (with
   * the output) when no task is left, RUNNING while a pod has something to run, WAITING while only
   * people or other waits do. A finished instance (ERROR included) keeps its status. An instance
   * that completes completes the task waiting for it as a sub-process, and tells its initiator when
   * its definition asks ({@link Outbox#processCompleted}).
   */
  public void settle(QueueTx tx, List<Settling> instances) {
    List<Settling> unfinished =
        instances.stream().filter(s -> !s.instance().status().isFinished()).toList();
    if (unfinished.isEmpty()) return;
    Map<UUID, InstanceStatus> settled =
        HotSql.settle(
            tx.handle(),
            unfinished.stream().map(s -> s.instance().id()).toList(),
            unfinished.stream().map(Settling::output).toList());
    for (Settling s : unfinished) {
      if (settled.get(s.instance().id()) == InstanceStatus.COMPLETED) {
        tx.afterCommit(Notice.newEvents(s.instance().id()));
        outbox.processCompleted(tx, s.instance(), definitionOf(tx, s.instance()));
        completeWaitingParent(tx, s.instance(), s.output());
      }
    }
  }

  /** {@link #settle} for one instance; {@code output} is null unless a completion brought it. */
  public void settle(QueueTx tx, ProcessInstance instance) {
    settle(tx, List.of(new Settling(instance, null)));
  }

  /** A sub-process completed: the task still waiting for it completes with its output. */
  private void completeWaitingParent(QueueTx tx, ProcessInstance subprocess, JsonNode output) {
    if (subprocess.parentTaskId() == null) return;
    Optional<Task> parent =
        tx.tasks().taskLockWaiting(subprocess.parentTaskId(), WaitingFor.SUBPROCESS);
    if (parent.isEmpty()) return; // cancelled, or it already gave up on this sub-process
    Task done = tx.tasks().taskCompleteWaiting(parent.get().id(), output).orElseThrow();
    tx.events().completedBySubprocess(done, subprocess.id(), output);
    completed(tx, done, output);
  }

  /**
   * A branch reaches a join: the first one of a pass creates the join's task, WAITING for JOIN;
   * each adds its output to the task's input under its activity id (a branch that arrives again in
   * the same pass replaces its output). Arrivals are serialized by the instance lock that every
   * completion holds. False when the join's pass was refused (past its {@code maxPasses}).
   */
  private boolean arriveAtJoin(
      QueueTx tx,
      ProcessInstance instance,
      ProcessDefinition definition,
      Activity join,
      String from,
      JsonNode output) {
    ObjectNode arrival = Json.object();
    arrival.set(from, output == null ? Json.object() : output);
    Optional<Task> waiting = tx.tasks().taskFindJoin(instance.id(), join.id());
    long taskId;
    if (waiting.isPresent()) {
      taskId = waiting.get().id();
      tx.tasks().taskJoinArrive(taskId, arrival);
    } else {
      int pass = nextPass(tx, instance, definition, join);
      if (pass > join.maxPasses()) {
        refusePass(tx, instance, join, pass, from, arrival);
        return false;
      }
      taskId = tx.tasks().taskInsertJoin(join.newTask(instance.id(), arrival, pass));
    }
    tx.events().joinArrived(instance.id(), taskId, join.id(), from);
    return true;
  }

  /**
   * Starts every waiting join that no open task of the instance can still reach in the same pass (a
   * task that could reach it only through a loop-back transition brings its arrival to the join's
   * next pass); true when one started. A DEAD task counts as open, since a retry by hand can bring
   * its branch back.
   */
  private static boolean releaseReadyJoins(
      QueueTx tx, ProcessInstance instance, ProcessDefinition definition) {
    List<Task> open = tx.tasks().taskListOpen(instance.id());
    boolean released = false;
    for (Task join : open) {
      if (join.status() != TaskStatus.WAITING || join.waitingFor() != WaitingFor.JOIN) continue;
      boolean awaited =
          open.stream()
              .anyMatch(
                  t ->
                      t.id() != join.id()
                          && definition.canReachWithinPass(t.activityId(), join.activityId()));
      if (awaited || tx.tasks().taskReleaseJoin(join.id()) == 0) continue;
      tx.events().joinReleased(join);
      released = true;
    }
    return released;
  }

  /** The last child to finish makes its parent PENDING again, its checkpoint kept. */
  private static boolean resumeParentWhenChildrenDone(QueueTx tx, long parentTaskId) {
    if (tx.tasks().taskCountUnfinishedChildren(parentTaskId) > 0) return false;
    Optional<Task> parent = tx.tasks().taskLockWaiting(parentTaskId, WaitingFor.CHILDREN);
    if (parent.isEmpty()) return false; // cancelled meanwhile
    Task resumed = tx.tasks().taskResume(parentTaskId, parent.get().checkpoint()).orElseThrow();
    tx.events().resumedAfterChildren(resumed);
    return true;
  }

  private ProcessDefinition definitionOf(QueueTx tx, ProcessInstance instance) {
    return catalog
        .get(tx.handle(), instance.tenantId(), instance.procDefId(), instance.procDefVersion())
        .definition();
  }
}
