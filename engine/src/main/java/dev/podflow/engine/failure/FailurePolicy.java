package dev.podflow.engine.failure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.outbox.Outbox;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.WaitingFor;
import java.time.Duration;

/**
 * What a failure costs: a failed attempt runs again after a backoff while it is retryable and has
 * attempts left, otherwise the task is DEAD; a dead task puts its instance in ERROR, queues a
 * notification for the operators, and makes the task waiting for that instance as a sub-process
 * dead in turn (db-scheduler's {@code FailureHandler}, beside the execution's own operations).
 *
 * <p>Locks, in this order: the failed task's row (its fenced update), the instance row; for a
 * sub-process, then the parent task's row and the parent instance's row — descendants before
 * ancestors, as on every path. Thread-safe.
 */
public final class FailurePolicy {
  private final TxRunner runner;
  private final Outbox outbox;

  public FailurePolicy(TxRunner runner, Outbox outbox) {
    this.runner = runner;
    this.outbox = outbox;
  }

  /**
   * Ends a failed attempt: FAILED with a backoff delay when {@code retryable} and attempts are
   * left, otherwise DEAD with the instance in ERROR.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome fail(Task claimed, String error, boolean retryable, Backoff backoff) {
    return runner.inTransaction(
        tx -> {
          if (retryable && claimed.hasAttemptsLeft()) {
            Duration delay = backoff.delayAfter(claimed.attempts());
            if (tx.tasks()
                    .taskFailForRetry(
                        claimed.id(), claimed.claimToken(), error, delay.toMillis() / 1000.0)
                == 0) {
              throw new StaleClaimException(claimed.id(), claimed.claimedBy());
            }
            tx.events().failedForRetry(claimed, error, delay);
            return TaskOutcome.RETRY_SCHEDULED;
          }
          if (tx.tasks().taskMarkDead(claimed.id(), claimed.claimToken(), error) == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          taskDied(
              tx,
              claimed,
              error,
              retryable ? "no attempts left" : "retrying cannot fix this error");
          return TaskOutcome.DEAD;
        });
  }

  /**
   * Records a task's death in {@code tx}, its row already DEAD: a {@code task_dead} event and,
   * unless the instance has finished, the instance in ERROR with a {@code process_failed} event, a
   * notification for each operator, and the task that started it as a sub-process (if any) dead
   * too.
   */
  public void taskDied(QueueTx tx, Task task, String error, String reason) {
    tx.events().dead(task, error, reason);
    ProcessInstance instance = tx.instances().instanceLock(task.procInstId()).orElseThrow();
    if (instance.status().isFinished()) return;
    ObjectNode output = tx.events().processFailed(task, error);
    tx.instances().instanceUpdateStatus(instance.id(), InstanceStatus.ERROR, output);
    outbox.processFailed(tx, instance, task, error);
    subprocessEnded(
        tx, instance, "failed at " + task.activityId() + ": " + (error == null ? "" : error));
  }

  /**
   * A sub-process instance has just failed or been cancelled ({@code how} says which): when the
   * task that started it still waits for it, that task is DEAD and its instance in ERROR.
   */
  public void subprocessEnded(QueueTx tx, ProcessInstance subprocess, String how) {
    if (subprocess.parentTaskId() == null) return;
    Task parent =
        tx.tasks().taskLockWaiting(subprocess.parentTaskId(), WaitingFor.SUBPROCESS).orElse(null);
    if (parent == null) return; // cancelled, or it already gave up on this sub-process
    String error = "sub-process " + subprocess.procDefId() + " " + subprocess.id() + " " + how;
    Task dead = tx.tasks().taskMarkDeadWaiting(parent.id(), error).orElseThrow();
    taskDied(tx, dead, error, "its sub-process did not complete");
  }
}
