package dev.podflow.engine.suspension;

import dev.podflow.store.PodflowException;

/** No task has the id. */
public class TaskNotFoundException extends PodflowException {
  public TaskNotFoundException(long id) {
    super("no task with id " + id);
  }
}
