package dev.podflow.api;

import dev.podflow.store.Database;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.notification.InboxDao;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the live streams that may have something new to send: those of instances that may have new
 * events, and those of users' inboxes that may have new notifications ({@link Followers}). Streams
 * then read for themselves, so a wake-up carries no data and a lost one costs at most a stream's
 * own poll interval. The sources:
 *
 * <ul>
 *   <li>the API process's one {@code LISTEN} session (a {@link NoticeListener}) on {@code
 *       podflow_events}, for what API processes write (starts, answers, cancels): each notice wakes
 *       the streams of the instances it names; and on {@code podflow_notifications}, which pods and
 *       API processes send after committing notifications: the inboxes are read at the next tick.
 *       Every (re)connect wakes every stream, since notices sent meanwhile are gone;
 *   <li>a read of the {@code events} table every {@link #POLL_INTERVAL} while anyone follows an
 *       instance, for what pods write: pods send no events notices ({@code
 *       AgentPod.NOTIFIED_CHANNELS}), since every NOTIFY wakes every listening session of the
 *       database and one per pod made each pod added slow the others down. It asks, per followed
 *       instance, for events above the last one its streams read: exactly what a woken stream would
 *       read;
 *   <li>the same read of the followed inboxes on a notice, and every {@link #INBOX_POLL_INTERVAL}
 *       without one (the fallback: a notice lost while the session reconnected).
 * </ul>
 *
 * Thread-safe.
 */
final class EventFeed implements AutoCloseable {
  static final String APPLICATION_NAME = "podflow-api-events";

  /** How often the events table is read while anyone follows an instance. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /** How often followed inboxes are read when no notice came. */
  static final Duration INBOX_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final Followers<UUID> instances = new Followers<>();
  private final Followers<Inbox> inboxes = new Followers<>();
  private final Jdbi jdbi;
  private final NoticeListener listener;
  private final Thread poller;
  private volatile boolean inboxesNoticed;

  private EventFeed(Database database) {
    this.jdbi = database.jdbi();
    this.poller = Thread.ofPlatform().daemon().name("podflow-api-event-poll").unstarted(this::poll);
    this.listener =
        NoticeListener.builder(database, APPLICATION_NAME)
            .on(Channel.EVENTS, this::wakeNamed)
            .on(Channel.NOTIFICATIONS, words -> inboxesNoticed = true)
            .onConnect(this::wakeAll)
            .build();
  }

  /** Starts listening in the background; streams poll until the first LISTEN succeeds. */
  static EventFeed start(Database database) {
    EventFeed feed = new EventFeed(database);
    feed.listener.start();
    feed.poller.start();
    return feed;
  }

  /**
   * Follows one instance until the subscription is closed; its stream has read the events up to
   * {@code afterId} (0: none).
   */
  Followers.Subscription subscribe(UUID procInstId, long afterId) {
    return instances.subscribe(procInstId, afterId);
  }

  /**
   * Follows one user's notifications until the subscription is closed; its stream has read them up
   * to {@code afterId}.
   */
  Followers.Subscription subscribe(Inbox inbox, long afterId) {
    return inboxes.subscribe(inbox, afterId);
  }

  /** True while the LISTEN session is up; false while (re)connecting. */
  boolean isListening() {
    return listener.isListening();
  }

  NoticeListener.TestSignals listenerTestSignals() {
    return listener.testSignals();
  }

  boolean isClosed() {
    return instances.isClosed();
  }

  /** The open subscriptions, of instances and inboxes. */
  int subscriberCount() {
    return instances.count() + inboxes.count();
  }

  /** Stops listening and wakes every subscriber so its stream can end. */
  @Override
  public void close() {
    instances.close();
    inboxes.close();
    listener.close();
    poller.interrupt();
    try {
      poller.join(POLL_INTERVAL.multipliedBy(20).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Every {@link #POLL_INTERVAL}: the followed instances that have events above what their streams
   * have read, and after a notice or {@link #INBOX_POLL_INTERVAL} the inboxes likewise, their
   * subscriptions woken.
   */
  private void poll() {
    long nextInboxPoll = System.nanoTime();
    while (!isClosed()) {
      try {
        Thread.sleep(POLL_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      try {
        pollInstances();
        if (inboxesNoticed || System.nanoTime() - nextInboxPoll >= 0) {
          inboxesNoticed = false;
          nextInboxPoll = System.nanoTime() + INBOX_POLL_INTERVAL.toNanos();
          pollInboxes();
        }
      } catch (RuntimeException e) {
        LOG.debug("execution-api - reading what the streams follow failed: {}", e.getMessage());
      }
    }
  }

  private void pollInstances() {
    Map<UUID, Long> marks = instances.marks();
    if (marks.isEmpty()) return;
    UUID[] ids = marks.keySet().toArray(UUID[]::new);
    long[] after = new long[ids.length];
    for (int k = 0; k < ids.length; k++) after[k] = marks.get(ids[k]);
    jdbi.withExtension(EventDao.class, dao -> dao.eventListInstancesWithNewEvents(ids, after))
        .forEach(instances::wake);
  }

  private void pollInboxes() {
    Map<Inbox, Long> marks = inboxes.marks();
    if (marks.isEmpty()) return;
    Inbox[] followed = marks.keySet().toArray(Inbox[]::new);
    String[] tenantIds = new String[followed.length];
    String[] userIds = new String[followed.length];
    long[] after = new long[followed.length];
    for (int k = 0; k < followed.length; k++) {
      tenantIds[k] = followed[k].tenantId();
      userIds[k] = followed[k].userId();
      after[k] = marks.get(followed[k]);
    }
    jdbi.withExtension(InboxDao.class, dao -> dao.inboxesWithNew(tenantIds, userIds, after))
        .forEach(k -> inboxes.wake(followed[k]));
  }

  /** Wakes the followers of each instance a notice names. */
  private void wakeNamed(List<String> procInstIds) {
    for (String id : procInstIds) {
      try {
        instances.wake(UUID.fromString(id));
      } catch (IllegalArgumentException e) {
        LOG.debug("execution-api - ignoring an events notice for '{}', not an instance id", id);
      }
    }
  }

  private void wakeAll() {
    instances.wakeAll();
    inboxes.wakeAll();
  }

  /** A user's notifications, which one stream or more follow. */
  record Inbox(String tenantId, String userId) {}
}
