package dev.podflow.api;

import dev.podflow.store.Json;
import dev.podflow.store.access.TenantScope;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.notification.InboxDao;
import dev.podflow.store.notification.UserNotification;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The API's live SSE streams: one instance's timeline ({@link #follow}), which ends once the
 * instance has finished and every event up to that point was sent, and one user's new notifications
 * ({@link #followInbox}), which goes on until the client leaves. Each sends what is after the
 * client's last item, then each new batch as the {@link EventFeed} signals it (or the stream's
 * fallback poll comes round).
 *
 * <p>Each message carries the item's id as {@code id:}, so an EventSource resumes with {@code
 * Last-Event-ID}, a name as {@code event:} and the item's JSON as {@code data:}. Runs on the
 * request's async thread and blocks it for the stream's life. Thread-safe.
 */
final class EventStream {
  static final int PAGE_SIZE = 500;

  /** How often an instance's stream reads its events when nothing woke it. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** The SSE event name of a notification: one name, so {@code onmessage}-style clients get all. */
  static final String NOTIFICATION_EVENT = "notification";

  /** A comment this often finds clients that went away without closing the connection. */
  static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final Jdbi jdbi;
  private final EventFeed feed;
  private final Object openLock = new Object();
  private int open;

  EventStream(Jdbi jdbi, EventFeed feed) {
    this.jdbi = jdbi;
    this.feed = feed;
  }

  /**
   * What a stream sends: the items after an id, oldest first, their ids, names and JSON views;
   * whether more can come; how long to wait for a wake-up before reading again anyway.
   */
  private record Source<T>(
      LongFunction<List<T>> after,
      ToLongFunction<T> id,
      Function<T, String> name,
      Function<T, Object> view,
      BooleanSupplier finished,
      Duration poll) {}

  /**
   * Streams the events of {@code procInstId}, of {@code tenantId}, to {@code client}. Javalin runs
   * the stream on a thread of its own, which the request's tenant binding does not reach: the
   * tenant is bound here, for every read of the stream.
   */
  void follow(SseClient client, String tenantId, UUID procInstId, long afterId) {
    MDC.put("proc_inst_id", procInstId.toString());
    try (Followers.Subscription subscription = feed.subscribe(procInstId, afterId)) {
      stream(
          client,
          tenantId,
          subscription,
          afterId,
          new Source<Event>(
              after ->
                  jdbi.withExtension(
                      EventDao.class, dao -> dao.eventListByInstance(procInstId, after, PAGE_SIZE)),
              Event::id,
              Event::type,
              EventRoutes.EventView::of,
              // Read before the events: the transaction that finishes an instance also writes
              // its last events, so once a finished status is seen those events are visible.
              () -> isFinished(procInstId),
              POLL_INTERVAL));
    } finally {
      MDC.remove("proc_inst_id");
    }
  }

  /**
   * Streams {@code inbox}'s notifications after {@code afterId} to {@code client}, until the client
   * leaves or the feed closes. The feed polls the inboxes for all their streams, so each stream
   * reads by itself only as often as it keeps the connection alive.
   */
  void followInbox(SseClient client, EventFeed.Inbox inbox, long afterId) {
    try (Followers.Subscription subscription = feed.subscribe(inbox, afterId)) {
      stream(
          client,
          inbox.tenantId(),
          subscription,
          afterId,
          new Source<UserNotification>(
              after ->
                  jdbi.withExtension(
                      InboxDao.class,
                      dao -> dao.inboxAfter(inbox.tenantId(), inbox.userId(), after, PAGE_SIZE)),
              UserNotification::id,
              notification -> NOTIFICATION_EVENT,
              notification -> notification,
              () -> false,
              KEEP_ALIVE_INTERVAL));
    }
  }

  /** Waits until every stream has ended (after the feed closed) or {@code max} passed. */
  boolean awaitAllEnded(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (openLock) {
      while (open > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(openLock, left);
      }
      return true;
    }
  }

  private <T> void stream(
      SseClient client,
      String tenantId,
      Followers.Subscription subscription,
      long afterId,
      Source<T> source) {
    synchronized (openLock) {
      open++;
    }
    try {
      TenantScope.call(
          tenantId,
          () -> {
            send(client, subscription, afterId, source);
            return null;
          });
    } finally {
      synchronized (openLock) {
        open--;
        openLock.notifyAll();
      }
    }
  }

  private <T> void send(
      SseClient client, Followers.Subscription subscription, long afterId, Source<T> source) {
    LOG.debug("execution-api - stream opened after {}", afterId);
    int sent = 0;
    try {
      long lastId = afterId;
      long lastWrite = System.nanoTime();
      while (!client.terminated() && !feed.isClosed()) {
        boolean finished = source.finished().getAsBoolean();
        List<T> batch;
        do {
          batch = source.after().apply(lastId);
          for (T item : batch) {
            lastId = source.id().applyAsLong(item);
            client.sendEvent(
                source.name().apply(item),
                Json.write(source.view().apply(item)),
                Long.toString(lastId));
            sent++;
          }
          if (!batch.isEmpty()) lastWrite = System.nanoTime();
        } while (batch.size() == PAGE_SIZE && !client.terminated());
        subscription.seen(lastId);
        if (finished) break;
        if (System.nanoTime() - lastWrite > KEEP_ALIVE_INTERVAL.toNanos()) {
          client.sendComment("keep-alive");
          lastWrite = System.nanoTime();
        }
        subscription.await(source.poll());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The client reconnects with Last-Event-ID and resumes where this stream stopped.
      LOG.warn("execution-api - a stream stopped: {}", e.toString());
    } finally {
      LOG.debug("execution-api - stream closed after {} messages", sent);
    }
  }

  private boolean isFinished(UUID procInstId) {
    return jdbi.withExtension(InstanceDao.class, dao -> dao.instanceGet(procInstId))
        .map(ProcessInstance::status)
        .map(InstanceStatus::isFinished)
        .orElse(true);
  }
}
