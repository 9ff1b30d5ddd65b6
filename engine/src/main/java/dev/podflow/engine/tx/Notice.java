package dev.podflow.engine.tx;

import dev.podflow.store.Notifier;
import dev.podflow.store.notify.Channel;
import java.util.UUID;

/**
 * A NOTIFY that a transaction calls for, sent by {@link TxRunner} once the transaction has
 * committed, never inside it (see {@link Notifier} for why).
 *
 * @param urgent sent at once; otherwise it may wait {@link Notifier#LINGER} to travel with others
 */
public record Notice(Channel channel, String payload, boolean urgent) {
  private static final Notice TASKS_READY = new Notice(Channel.TASKS, "", true);

  /** New work can be claimed. */
  public static Notice tasksReady() {
    return TASKS_READY;
  }

  /** The instance has new events; a follower may read them up to a linger later. */
  public static Notice newEvents(UUID instanceId) {
    return new Notice(Channel.EVENTS, instanceId.toString(), false);
  }

  /** A running task was cancelled; the pod running it stops at once. */
  public static Notice taskCancelled(long taskId) {
    return new Notice(Channel.CANCEL, Long.toString(taskId), true);
  }

  Notifier.Notification toNotification() {
    return new Notifier.Notification(channel, payload);
  }
}
