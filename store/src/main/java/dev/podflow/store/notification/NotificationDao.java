package dev.podflow.store.notification;

import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The {@code notifications} outbox. SQL lives in {@code NotificationDao/*.sql}. */
public interface NotificationDao {

  /** Queues a notification in the caller's transaction and returns its id. */
  @SqlQuery
  long notificationInsert(@BindMethods NewNotification notification);
}
