package dev.podflow.engine;

import dev.podflow.store.PodflowException;

/**
 * A pod tried to finish a task whose claim it no longer holds (its lease expired and the task was
 * rescued, or it was claimed again). The write was refused and nothing changed.
 */
public class StaleClaimException extends PodflowException {
  public StaleClaimException(long taskId, String podId) {
    super(
        "task "
            + taskId
            + " is no longer claimed by "
            + podId
            + " with this claim token; its result was refused");
  }
}
