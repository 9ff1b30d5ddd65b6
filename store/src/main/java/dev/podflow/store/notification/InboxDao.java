package dev.podflow.store.notification;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The recipients' side of {@code notifications}: a user's notifications, newest first or after an
 * id, and marking one read. Pages go by id, the order the rows were written in, which the indexes
 * {@code notifications_recipient} and {@code notifications_unread} (V27) serve. SQL lives in {@code
 * InboxDao/*.sql}.
 */
@RegisterRowMapper(UserNotificationMapper.class)
public interface InboxDao {

  /**
   * Up to {@code limit} of {@code userId}'s notifications with an id below {@code beforeId} (null:
   * from the newest), newest first; only unread ones when {@code unreadOnly}.
   */
  default List<UserNotification> inboxPage(
      String tenantId, String userId, boolean unreadOnly, Long beforeId, int limit) {
    long before = beforeId == null ? Long.MAX_VALUE : beforeId;
    return unreadOnly
        ? inboxPageUnread(tenantId, userId, before, limit)
        : inboxPageAll(tenantId, userId, before, limit);
  }

  @SqlQuery
  List<UserNotification> inboxPageAll(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("beforeId") long beforeId,
      @Bind("limit") int limit);

  @SqlQuery
  List<UserNotification> inboxPageUnread(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("beforeId") long beforeId,
      @Bind("limit") int limit);

  /** Up to {@code limit} of {@code userId}'s notifications with an id above {@code afterId}. */
  @SqlQuery
  List<UserNotification> inboxAfter(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("afterId") long afterId,
      @Bind("limit") int limit);

  /** The id of {@code userId}'s latest notification; 0 when it has none. */
  @SqlQuery
  long inboxLatestId(@Bind("tenantId") String tenantId, @Bind("userId") String userId);

  /** Marks {@code userId}'s notification {@code id} read, once; the notification, if it exists. */
  @SqlQuery
  Optional<UserNotification> inboxMarkRead(
      @Bind("tenantId") String tenantId, @Bind("userId") String userId, @Bind("id") long id);

  /**
   * Which of the users ({@code tenantIds[k]}, {@code userIds[k]}) have a notification with an id
   * above {@code afterIds[k]}: their indexes {@code k}, from 0. Reads every tenant's rows, so it
   * takes a role whose policies let it (the API's event feed reads as {@code podflow_metrics}).
   */
  @SqlQuery
  List<Integer> inboxesWithNew(
      @Bind("tenantIds") String[] tenantIds,
      @Bind("userIds") String[] userIds,
      @Bind("afterIds") long[] afterIds);
}
