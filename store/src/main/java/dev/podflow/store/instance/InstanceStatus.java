package dev.podflow.store.instance;

/** The life of a {@code bpm_proc_inst} row. */
public enum InstanceStatus {
  RUNNING,
  /** Every runnable task is parked for a person or a deferred tool. */
  WAITING,
  COMPLETED,
  ERROR,
  CANCELLED;

  public boolean isFinished() {
    return this == COMPLETED || this == ERROR || this == CANCELLED;
  }
}
