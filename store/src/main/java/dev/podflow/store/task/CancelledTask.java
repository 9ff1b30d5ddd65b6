package dev.podflow.store.task;

import java.util.UUID;

/**
 * A task that {@link TaskDao#taskCancelByInstance} cancelled, with the status it had before: a task
 * that was {@code IN_PROGRESS} is still being run by {@code claimedBy}, which must be told.
 */
public record CancelledTask(
    long id, UUID procInstId, String activityId, String claimedBy, TaskStatus previousStatus) {

  public boolean wasRunning() {
    return previousStatus == TaskStatus.IN_PROGRESS;
  }
}
