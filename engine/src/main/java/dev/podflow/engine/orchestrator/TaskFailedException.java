package dev.podflow.engine.orchestrator;

import dev.podflow.store.PodflowException;

/** An orchestrator's verdict that the attempt failed, and whether trying again can help. */
public class TaskFailedException extends PodflowException {
  private final boolean retryable;

  private TaskFailedException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** A failure another attempt may not repeat (a timeout, a 503 from a peer). */
  public static TaskFailedException retryable(String message) {
    return new TaskFailedException(message, true);
  }

  /** A failure no retry can fix (bad config, validation): the task goes straight to DEAD. */
  public static TaskFailedException permanent(String message) {
    return new TaskFailedException(message, false);
  }

  public boolean retryable() {
    return retryable;
  }
}
