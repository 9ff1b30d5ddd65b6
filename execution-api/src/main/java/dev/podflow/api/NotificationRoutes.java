package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.EventStreamRequest;
import dev.podflow.api.auth.Principal;
import dev.podflow.store.notification.InboxDao;
import dev.podflow.store.notification.UserNotification;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A user's notifications (issue 16), as the same users' routes take them ({@link UserRoutes#user}:
 * its own, or any of the tenant's for an admin). {@code GET /api/v1/users/{id}/notifications} lists
 * them newest first (a {@link Page}; {@code unread=true} for the unread ones only) or, for a client
 * that accepts {@code text/event-stream}, streams each new one as it commits (the console's bell;
 * {@link EventStream#followInbox}; a browser may open it with a stream token, {@link
 * dev.podflow.api.auth.Access#USER_STREAM}); {@code POST …/{notificationId}/read} marks one read,
 * once.
 */
final class NotificationRoutes {
  static final String NOTIFICATIONS = UserRoutes.USER + "/notifications";
  static final String READ = NOTIFICATIONS + "/{notificationId}/read";

  private final Jdbi jdbi;
  private final EventStream stream;

  NotificationRoutes(Jdbi jdbi, EventStream stream) {
    this.jdbi = jdbi;
    this.stream = stream;
  }

  /** A page of a user's notifications, newest first. */
  record NotificationList(List<UserNotification> notifications, String next) {}

  void register(RoutesConfig routes) {
    routes.get(NOTIFICATIONS, this::list, Access.USER_STREAM);
    routes.post(READ, this::read, Access.USER);
  }

  private void list(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    String id = ctx.pathParam("id");
    if (EventStreamRequest.accepts(ctx.header("Accept"))) {
      String lastEventId = ctx.header("Last-Event-ID");
      jdbi.useHandle(h -> UserRoutes.user(h, principal, id));
      // A new stream starts after the latest notification: the bell shows what comes next, the
      // list what came before.
      long after =
          lastEventId != null && !lastEventId.isBlank()
              ? QueryParams.id("Last-Event-ID", "notification", lastEventId)
              : jdbi.withExtension(InboxDao.class, dao -> dao.inboxLatestId(tenantId, id));
      EventFeed.Inbox inbox = new EventFeed.Inbox(tenantId, id);
      new SseHandler(client -> stream.followInbox(client, inbox, after)).handle(ctx);
      return;
    }
    boolean unreadOnly = QueryParams.flag("unread", ctx.queryParam("unread"));
    Page<Long> page = Page.of(ctx, "notifications", Long::valueOf);
    List<UserNotification> fetched =
        jdbi.withHandle(
            h -> {
              UserRoutes.user(h, principal, id);
              return h.attach(InboxDao.class)
                  .inboxPage(tenantId, id, unreadOnly, page.afterKey(), page.fetch());
            });
    Page.Slice<UserNotification> slice =
        page.slice(
            fetched, notification -> new Cursor<>(notification.createdAt(), notification.id()));
    ctx.json(new NotificationList(slice.items(), slice.next()));
  }

  private void read(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String id = ctx.pathParam("id");
    long notificationId =
        QueryParams.id("the notification id", "notification", ctx.pathParam("notificationId"));
    UserNotification read =
        jdbi.inTransaction(
            h -> {
              UserRoutes.user(h, principal, id);
              return h.attach(InboxDao.class)
                  .inboxMarkRead(principal.tenantId(), id, notificationId)
                  .orElseThrow(
                      () ->
                          ProblemException.notFound(
                              ProblemType.NOTIFICATION_NOT_FOUND,
                              "notification",
                              Long.toString(notificationId)));
            });
    ctx.json(read);
  }
}
