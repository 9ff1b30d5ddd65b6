package dev.podflow.engine.transition;

import dev.podflow.store.Json;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.CancelledTask;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * What an operator does to a whole instance: cancel it, or retry it by hand after it failed. Each
 * command is one transaction with its events and wake-ups, and either changes everything it names
 * or, when refused, nothing.
 *
 * <p>Lock order is that of {@link TaskTransitions}: the instance's task rows first, then the
 * instance row. Holding the instance row also keeps step transitions from queueing new tasks for it
 * until the command commits; those that commit after a cancel see it and queue nothing.
 * Thread-safe.
 */
public final class InstanceCommands {
  private static final String DEADLOCK_DETECTED = "40P01";
  private static final int DEADLOCK_ATTEMPTS = 3;

  private final Jdbi jdbi;

  public InstanceCommands(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Cancels a RUNNING or WAITING instance and every task of it that may still run. Running tasks
   * lose their claim, so their pods' late results are refused, and the pods are told at once
   * ({@code NOTIFY podflow_cancel}, payload the task id) to stop working on them. Its unfinished
   * sub-processes are cancelled too; a cancelled sub-process makes the task that started it DEAD.
   *
   * @throws ProcessNotFoundException when no instance has the id
   * @throws ProcessNotCancellableException when the instance has finished (COMPLETED, ERROR or
   *     CANCELLED)
   */
  public InstanceState cancel(UUID id) {
    InstanceState state = cancelOne(id);
    cancelSubprocesses(id);
    return state;
  }

  /**
   * Cancels the unfinished sub-processes of a cancelled instance, and theirs, each in its own
   * transaction after the parent's has committed: holding both would invert the lock order of a
   * sub-process completing into its parent.
   */
  private void cancelSubprocesses(UUID parentId) {
    List<UUID> children =
        jdbi.withHandle(
            h -> h.attach(InstanceDao.class).instanceListUnfinishedSubprocesses(parentId));
    for (UUID child : children) {
      try {
        cancelOne(child);
      } catch (ProcessNotCancellableException e) {
        // it finished meanwhile; its parent task, cancelled, ignores that
      }
      cancelSubprocesses(child);
    }
  }

  private InstanceState cancelOne(UUID id) {
    return retryingDeadlocks(() -> cancelOnce(id));
  }

  private InstanceState cancelOnce(UUID id) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          InstanceDao instances = h.attach(InstanceDao.class);
          ProcessInstance instance = lockTasksThenInstance(h, id);
          if (instance.status().isFinished()) {
            throw new ProcessNotCancellableException(id, instance.status());
          }
          List<CancelledTask> cancelled = tasks.taskCancelByInstance(id);
          EventDao events = h.attach(EventDao.class);
          int running = 0;
          for (CancelledTask task : cancelled) {
            var payload =
                Json.object()
                    .put("activityId", task.activityId())
                    .put("previousStatus", task.previousStatus().name());
            if (task.wasRunning()) {
              payload.put("podId", task.claimedBy());
              tasks.notifyTaskCancelled(task.id());
              running++;
            }
            events.eventAppend(id, task.id(), EventTypes.TASK_CANCELLED, payload);
          }
          instances.instanceUpdateStatus(id, InstanceStatus.CANCELLED, null);
          events.eventAppend(
              id,
              null,
              EventTypes.PROCESS_CANCELLED,
              Json.object()
                  .put("previousStatus", instance.status().name())
                  .put("tasksCancelled", cancelled.size())
                  .put("tasksInterrupted", running));
          TaskTransitions.failParentTask(h, instance, "was cancelled");
          return state(h, id, cancelled.stream().map(CancelledTask::id).toList());
        });
  }

  /**
   * Runs an instance in ERROR again: its DEAD tasks go back to the queue with all their attempts
   * (their last error kept), the instance is RUNNING again, and the pods are woken.
   *
   * @throws ProcessNotFoundException when no instance has the id
   * @throws ProcessNotRetryableException when the instance is not in ERROR, or has no DEAD task
   */
  public InstanceState retry(UUID id) {
    return retryingDeadlocks(() -> retryOnce(id));
  }

  private InstanceState retryOnce(UUID id) {
    return jdbi.inTransaction(
        h -> {
          TaskDao tasks = h.attach(TaskDao.class);
          InstanceDao instances = h.attach(InstanceDao.class);
          ProcessInstance instance = lockTasksThenInstance(h, id);
          if (instance.status() != InstanceStatus.ERROR) {
            throw ProcessNotRetryableException.notInError(id, instance.status());
          }
          List<Task> requeued = tasks.taskRequeueDead(id);
          if (requeued.isEmpty()) {
            // Nothing would run, and a RUNNING instance without tasks would never finish.
            throw ProcessNotRetryableException.nothingDead(id);
          }
          instances.instanceReopen(id);
          EventDao events = h.attach(EventDao.class);
          events.eventAppend(
              id,
              null,
              EventTypes.PROCESS_RETRIED,
              Json.object().put("tasksQueued", requeued.size()));
          for (Task task : requeued) {
            events.eventAppend(
                id,
                task.id(),
                EventTypes.TASK_QUEUED,
                Json.object()
                    .put("activityId", task.activityId())
                    .put("orchestrator", task.orchestrator())
                    .put("retriedAfter", task.lastError()));
          }
          tasks.notifyTasksReady();
          return state(h, id, requeued.stream().map(Task::id).toList());
        });
  }

  /**
   * Runs a command again when PostgreSQL broke a deadlock by aborting it. A command locks all of an
   * instance's tasks in id order, while a step transition locks its own task and then, for a join
   * or a parent, an older one; the two can meet, rarely, and the command is the side to retry.
   */
  private static InstanceState retryingDeadlocks(Supplier<InstanceState> command) {
    for (int attempt = 1; ; attempt++) {
      try {
        return command.get();
      } catch (JdbiException e) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(e)) throw e;
      }
    }
  }

  private static boolean isDeadlock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && DEADLOCK_DETECTED.equals(sql.getSQLState())) return true;
    }
    return false;
  }

  /** Locks every task of the instance, then the instance row: the lock order of every path. */
  private static ProcessInstance lockTasksThenInstance(Handle h, UUID id) {
    h.attach(TaskDao.class).taskLockByInstance(id);
    return h.attach(InstanceDao.class)
        .instanceLock(id)
        .orElseThrow(() -> new ProcessNotFoundException(id));
  }

  private static InstanceState state(Handle h, UUID id, List<Long> changed) {
    return new InstanceState(
        h.attach(InstanceDao.class).instanceGet(id).orElseThrow(),
        h.attach(TaskDao.class).taskListByInstance(id),
        changed.stream().sorted().toList());
  }
}
