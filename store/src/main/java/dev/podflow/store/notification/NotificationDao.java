package dev.podflow.store.notification;

import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code notifications} outbox. SQL lives in {@code NotificationDao/*.sql}. */
public interface NotificationDao {

  /** Queues a notification in the caller's transaction and returns its id. */
  @SqlQuery
  long notificationInsert(@BindMethods NewNotification notification);

  /**
   * Queues {@code notification} once for each user of the instance's tenant with the operator or
   * admin role (its recipient is ignored); how many.
   */
  @SqlUpdate
  int notificationInsertForOperators(@BindMethods NewNotification notification);
}
