package dev.podflow.engine.instance;

import dev.podflow.store.PodflowException;
import dev.podflow.store.instance.InstanceStatus;
import java.util.UUID;

/** A cancel asked for an instance that has already finished; nothing was changed. */
public class ProcessNotCancellableException extends PodflowException {
  private final InstanceStatus status;

  public ProcessNotCancellableException(UUID id, InstanceStatus status) {
    super(
        "process " + id + " is " + status + "; only RUNNING or WAITING processes can be cancelled");
    this.status = status;
  }

  /** The status the instance had, which made the cancel impossible. */
  public InstanceStatus status() {
    return status;
  }
}
