package dev.podflow.engine.suspension;

import dev.podflow.store.PodflowException;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;

/**
 * A person answered a task that is not waiting for a person's answer (already answered, cancelled,
 * never parked, or waiting for child tasks, a sub-process or a join); nothing was changed.
 */
public class TaskNotWaitingException extends PodflowException {
  private final TaskStatus status;

  public TaskNotWaitingException(long id, TaskStatus status, WaitingFor waitingFor) {
    super(
        status == TaskStatus.WAITING && waitingFor != null
            ? "task "
                + id
                + " waits for "
                + describe(waitingFor)
                + ", not for a person; only a task WAITING for a person can be completed by one"
            : "task "
                + id
                + " is "
                + status
                + "; only a task WAITING for a person can be completed by one");
    this.status = status;
  }

  private static String describe(WaitingFor waitingFor) {
    return switch (waitingFor) {
      case CHILDREN -> "its child tasks";
      case SUBPROCESS -> "its sub-process";
      case JOIN -> "its parallel branches to join";
      case PERSON, ANSWER, APPROVAL -> "a person";
    };
  }

  /** The status the task had, which made the answer impossible. */
  public TaskStatus status() {
    return status;
  }
}
