package dev.podflow.engine.instance;

import dev.podflow.engine.failure.FailurePolicy;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.cleanup.TaskCleanupDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.CancelledTask;
import dev.podflow.store.task.Task;
import java.util.List;
import java.util.UUID;

/**
 * What an operator does to a whole instance: cancel it, or retry it by hand after it failed. Each
 * command is one transaction with its events and wake-ups, and either changes everything it names
 * or, when refused, nothing.
 *
 * <p>Locks, in this order: every task row of the instance (in id order), then the instance row; a
 * cancel then the task waiting for the instance as a sub-process, and its instance. Holding the
 * instance row keeps step transitions from queueing new tasks for it until the command commits;
 * those that commit after a cancel see it and queue nothing. A command can meet a step transition
 * that locks its own task and then an older one (a join, a parent) in a deadlock; {@link TxRunner}
 * runs the aborted side again. Thread-safe.
 */
public final class InstanceCommands {
  private final TxRunner runner;
  private final FailurePolicy failures;

  public InstanceCommands(TxRunner runner, FailurePolicy failures) {
    this.runner = runner;
    this.failures = failures;
  }

  /**
   * Cancels a RUNNING or WAITING instance and every task of it that may still run. Running tasks
   * lose their claim, so their pods' late results are refused, and the pods are told at once to
   * stop working on them. Its unfinished sub-processes are cancelled too; a cancelled sub-process
   * makes the task that started it DEAD.
   *
   * @param by who asked, recorded in the {@code process_cancelled} events (see {@link
   *     StartCommand#by})
   * @throws ProcessNotFoundException when no instance has the id
   * @throws ProcessNotCancellableException when the instance has finished (COMPLETED, ERROR or
   *     CANCELLED)
   */
  public InstanceState cancel(UUID id, String by) {
    InstanceState state = runner.inTransaction(tx -> cancelOne(tx, id, by));
    cancelSubprocesses(id, by);
    return state;
  }

  /**
   * Cancels the unfinished sub-processes of a cancelled instance, and theirs, each in its own
   * transaction after the parent's has committed: holding both would invert the lock order of a
   * sub-process completing into its parent.
   */
  private void cancelSubprocesses(UUID parentId, String by) {
    List<UUID> children =
        runner.autocommit(tx -> tx.instances().instanceListUnfinishedSubprocesses(parentId));
    for (UUID child : children) {
      try {
        runner.inTransaction(tx -> cancelOne(tx, child, by));
      } catch (ProcessNotCancellableException e) {
        // it finished meanwhile; its parent task, cancelled, ignores that
      }
      cancelSubprocesses(child, by);
    }
  }

  private InstanceState cancelOne(QueueTx tx, UUID id, String by) {
    ProcessInstance instance = lockTasksThenInstance(tx, id);
    if (instance.status().isFinished()) {
      throw new ProcessNotCancellableException(id, instance.status());
    }
    List<CancelledTask> cancelled = tx.tasks().taskCancelByInstance(id);
    // What the cancelled tasks started outside is undone after the commit, from an outbox.
    tx.handle()
        .attach(TaskCleanupDao.class)
        .cleanupQueueCancelled(id, cancelled.stream().mapToLong(CancelledTask::id).toArray());
    int running = 0;
    for (CancelledTask task : cancelled) {
      if (task.wasRunning()) {
        tx.afterCommit(Notice.taskCancelled(task.id()));
        running++;
      }
      tx.events().cancelled(task);
    }
    tx.instances().instanceUpdateStatus(id, InstanceStatus.CANCELLED, null);
    tx.events().processCancelled(id, instance.status(), cancelled.size(), running, by);
    failures.subprocessEnded(tx, instance, "was cancelled");
    return state(tx, id, cancelled.stream().map(CancelledTask::id).toList());
  }

  /**
   * Runs an instance in ERROR again: its DEAD tasks go back to the queue with all their attempts
   * (their last error kept), the instance is RUNNING again, and the pods are woken.
   *
   * @param by who asked, recorded in the {@code process_retried} event (see {@link
   *     StartCommand#by})
   * @throws ProcessNotFoundException when no instance has the id
   * @throws ProcessNotRetryableException when the instance is not in ERROR, or has no DEAD task
   */
  public InstanceState retry(UUID id, String by) {
    return runner.inTransaction(
        tx -> {
          ProcessInstance instance = lockTasksThenInstance(tx, id);
          if (instance.status() != InstanceStatus.ERROR) {
            throw ProcessNotRetryableException.notInError(id, instance.status());
          }
          List<Task> requeued = tx.tasks().taskRequeueDead(id);
          if (requeued.isEmpty()) {
            // Nothing would run, and a RUNNING instance without tasks would never finish.
            throw ProcessNotRetryableException.nothingDead(id);
          }
          tx.instances().instanceReopen(id);
          tx.events().processRetried(id, requeued.size(), by);
          for (Task task : requeued) tx.events().requeuedByRetry(task);
          tx.afterCommit(Notice.tasksReady());
          return state(tx, id, requeued.stream().map(Task::id).toList());
        });
  }

  /** Locks every task of the instance, then the instance row: the lock order of every path. */
  private static ProcessInstance lockTasksThenInstance(QueueTx tx, UUID id) {
    tx.tasks().taskLockByInstance(id);
    return tx.instances().instanceLock(id).orElseThrow(() -> new ProcessNotFoundException(id));
  }

  private static InstanceState state(QueueTx tx, UUID id, List<Long> changed) {
    return new InstanceState(
        tx.instances().instanceGet(id).orElseThrow(),
        tx.tasks().taskListByInstance(id),
        changed.stream().sorted().toList());
  }
}
