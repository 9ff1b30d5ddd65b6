package dev.podflow.store.task;

/** The life of a {@code todolist} row. */
public enum TaskStatus {
  /** Waiting to be claimed once {@code run_after} has passed. */
  PENDING,
  /** Claimed by a pod that holds its lease. */
  IN_PROGRESS,
  /** Parked for a person or a deferred tool. */
  WAITING,
  DONE,
  /** An attempt failed; claimable again once {@code run_after} has passed. */
  FAILED,
  /** Out of attempts, or failed in a way retrying cannot fix. */
  DEAD,
  CANCELLED;

  public boolean isFinished() {
    return this == DONE || this == DEAD || this == CANCELLED;
  }
}
