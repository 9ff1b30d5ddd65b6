package dev.podflow.engine.tx;

import dev.podflow.store.Notifier;
import dev.podflow.store.notify.Channel;
import java.util.UUID;

/**
 * A NOTIFY that a transaction calls for, sent by {@link TxRunner} once the transaction has
 * committed, never inside it (see {@link Notifier} for why).
 */
public record Notice(Channel channel, String payload) {
  private static final Notice TASKS_READY = new Notice(Channel.TASKS, "");
  private static final Notice NOTIFICATIONS_WAITING = new Notice(Channel.NOTIFICATIONS, "");

  /** New work can be claimed. */
  public static Notice tasksReady() {
    return TASKS_READY;
  }

  /** The instance has new events (for the API's event feed; pods do not send these). */
  public static Notice newEvents(UUID instanceId) {
    return new Notice(Channel.EVENTS, instanceId.toString());
  }

  /** Notifications were written: the notifiers deliver them. */
  public static Notice notificationsWaiting() {
    return NOTIFICATIONS_WAITING;
  }

  /** A running task was cancelled; the pod running it stops at once. */
  public static Notice taskCancelled(long taskId) {
    return new Notice(Channel.CANCEL, Long.toString(taskId));
  }

  Notifier.Notification toNotification() {
    return new Notifier.Notification(channel, payload);
  }
}
