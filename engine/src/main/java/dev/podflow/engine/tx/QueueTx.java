package dev.podflow.engine.tx;

import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.notification.NotificationDao;
import dev.podflow.store.task.TaskDao;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One unit of the engine's database work, made by {@link TxRunner} for each transaction (or each
 * autocommitted statement): the handle, the DAOs attached once for the whole transaction, the typed
 * {@link EventWriter}, and the {@linkplain #afterCommit notices} to send once it commits. Hot
 * statements ({@link dev.podflow.store.HotSql}) run on {@link #handle()}. Confined to the thread
 * running the transaction.
 */
public final class QueueTx {
  private final Handle handle;
  private final EventWriter events;
  private final List<Notice> notices = new ArrayList<>();
  private TaskDao tasks;
  private InstanceDao instances;
  private NotificationDao notifications;

  QueueTx(Handle handle) {
    this.handle = handle;
    this.events = new EventWriter(this);
  }

  public Handle handle() {
    return handle;
  }

  public TaskDao tasks() {
    if (tasks == null) tasks = handle.attach(TaskDao.class);
    return tasks;
  }

  public InstanceDao instances() {
    if (instances == null) instances = handle.attach(InstanceDao.class);
    return instances;
  }

  public NotificationDao notifications() {
    if (notifications == null) notifications = handle.attach(NotificationDao.class);
    return notifications;
  }

  /**
   * The only writer of event payloads in Java; each write also notices its instance's followers.
   */
  public EventWriter events() {
    return events;
  }

  /** Sends {@code notice} once this transaction has committed; nothing if it rolls back. */
  public void afterCommit(Notice notice) {
    notices.add(notice);
  }

  List<Notice> notices() {
    return notices;
  }
}
