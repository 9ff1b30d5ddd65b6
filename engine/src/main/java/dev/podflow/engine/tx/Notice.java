package dev.podflow.engine.tx;

import dev.podflow.store.Notifier;
import java.util.UUID;

/**
 * A NOTIFY that a transaction calls for, sent by {@link TxRunner} once the transaction has
 * committed, never inside it (see {@link Notifier} for why). The channel names live here and
 * nowhere else on the sending side.
 *
 * @param urgent sent at once; otherwise it may wait {@link Notifier#LINGER} to travel with others
 */
public record Notice(String channel, String payload, boolean urgent) {
  /** Wakes idle pods: there is work to claim. */
  public static final String TASKS_CHANNEL = "podflow_tasks";

  /** Tells SSE followers an instance has new events (payload: the instance id). */
  public static final String EVENTS_CHANNEL = "podflow_events";

  /** Tells the pod running a task that it was cancelled (payload: the task id). */
  public static final String CANCEL_CHANNEL = "podflow_cancel";

  private static final Notice TASKS_READY = new Notice(TASKS_CHANNEL, "", true);

  /** New work can be claimed. */
  public static Notice tasksReady() {
    return TASKS_READY;
  }

  /** The instance has new events; a follower may read them up to a linger later. */
  public static Notice newEvents(UUID instanceId) {
    return new Notice(EVENTS_CHANNEL, instanceId.toString(), false);
  }

  /** A running task was cancelled; the pod running it stops at once. */
  public static Notice taskCancelled(long taskId) {
    return new Notice(CANCEL_CHANNEL, Long.toString(taskId), true);
  }

  Notifier.Notification toNotification() {
    return new Notifier.Notification(channel, payload);
  }
}
