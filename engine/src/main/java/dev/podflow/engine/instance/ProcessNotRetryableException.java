package dev.podflow.engine.instance;

import dev.podflow.store.PodflowException;
import dev.podflow.store.instance.InstanceStatus;
import java.util.UUID;

/**
 * A retry asked for an instance that is not in ERROR, or that has no DEAD task to run again;
 * nothing was changed.
 */
public class ProcessNotRetryableException extends PodflowException {
  private final InstanceStatus status;

  private ProcessNotRetryableException(String message, InstanceStatus status) {
    super(message);
    this.status = status;
  }

  /** The instance is not in ERROR. */
  public static ProcessNotRetryableException notInError(UUID id, InstanceStatus status) {
    return new ProcessNotRetryableException(
        "process " + id + " is " + status + "; only processes in ERROR can be retried", status);
  }

  /** The instance is in ERROR, but none of its tasks is DEAD, so there is nothing to run again. */
  public static ProcessNotRetryableException nothingDead(UUID id) {
    return new ProcessNotRetryableException(
        "process " + id + " is ERROR but has no DEAD task to run again", InstanceStatus.ERROR);
  }

  /** The status the instance had. */
  public InstanceStatus status() {
    return status;
  }
}
