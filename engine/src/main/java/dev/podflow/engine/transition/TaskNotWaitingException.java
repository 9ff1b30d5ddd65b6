package dev.podflow.engine.transition;

import dev.podflow.store.PodflowException;
import dev.podflow.store.task.TaskStatus;

/**
 * A person answered a task that is not waiting for an answer (already answered, cancelled, or never
 * parked); nothing was changed.
 */
public class TaskNotWaitingException extends PodflowException {
  private final TaskStatus status;

  public TaskNotWaitingException(long id, TaskStatus status) {
    super("task " + id + " is " + status + "; only a WAITING task can be completed by a person");
    this.status = status;
  }

  /** The status the task had, which made the answer impossible. */
  public TaskStatus status() {
    return status;
  }
}
