package dev.podflow.api;

import dev.podflow.store.Database;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the {@link Subscription}s of instances that may have new events; subscribers then read the
 * new events themselves, so a wake-up carries no data and a lost one costs at most a subscriber's
 * poll interval. Two sources:
 *
 * <ul>
 *   <li>the API process's one {@code LISTEN podflow_events} session (a {@link NoticeListener}), for
 *       what API processes write (starts, answers, cancels): each notification wakes the
 *       subscriptions of the instances it names, and every (re)connect wakes them all, since
 *       notifications sent meanwhile are gone;
 *   <li>a read of the {@code events} table every {@link #POLL_INTERVAL} while anyone follows, for
 *       what pods write: pods send no events notices ({@code AgentPod.NOTIFIED_CHANNELS}), since
 *       every NOTIFY wakes every listening session of the database and one per pod made each pod
 *       added slow the others down. It asks, per followed instance, for events above the last one
 *       its streams read ({@link Subscription#seen}): exactly what a woken stream would read.
 * </ul>
 *
 * Thread-safe.
 */
final class EventFeed implements AutoCloseable {
  static final String APPLICATION_NAME = "podflow-api-events";

  /** How often the events table is read while anyone follows. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final ConcurrentMap<UUID, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private final Jdbi jdbi;
  private final NoticeListener listener;
  private final Thread poller;
  private volatile boolean closed;

  private EventFeed(Database database) {
    this.jdbi = database.jdbi();
    this.poller = Thread.ofPlatform().daemon().name("podflow-api-event-poll").unstarted(this::poll);
    this.listener =
        NoticeListener.builder(database, APPLICATION_NAME)
            .on(Channel.EVENTS, this::wakeNamed)
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
  Subscription subscribe(UUID procInstId, long afterId) {
    Subscription subscription = new Subscription(procInstId, afterId);
    subscribers.computeIfAbsent(procInstId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
    return subscription;
  }

  /** True while the LISTEN session is up; false while (re)connecting. */
  boolean isListening() {
    return listener.isListening();
  }

  NoticeListener.TestSignals listenerTestSignals() {
    return listener.testSignals();
  }

  boolean isClosed() {
    return closed;
  }

  int subscriberCount() {
    return subscribers.values().stream().mapToInt(Set::size).sum();
  }

  /** Stops listening and wakes every subscriber so its stream can end. */
  @Override
  public void close() {
    closed = true;
    wakeAll();
    listener.close();
    poller.interrupt();
    try {
      poller.join(POLL_INTERVAL.multipliedBy(20).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Every {@link #POLL_INTERVAL} while anyone follows: the followed instances that have events
   * above what their streams have read, their subscriptions woken.
   */
  private void poll() {
    while (!closed) {
      try {
        Thread.sleep(POLL_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      Map<UUID, Long> marks = new HashMap<>();
      subscribers.forEach((id, set) -> set.forEach(s -> marks.merge(id, s.lastSeen, Math::min)));
      if (marks.isEmpty()) continue;
      UUID[] ids = marks.keySet().toArray(UUID[]::new);
      long[] after = new long[ids.length];
      for (int k = 0; k < ids.length; k++) after[k] = marks.get(ids[k]);
      try {
        jdbi.withExtension(EventDao.class, dao -> dao.eventListInstancesWithNewEvents(ids, after))
            .forEach(this::wake);
      } catch (RuntimeException e) {
        LOG.debug("execution-api - reading new events failed: {}", e.getMessage());
      }
    }
  }

  /** Wakes the followers of each instance a notice names. */
  private void wakeNamed(List<String> procInstIds) {
    for (String id : procInstIds) {
      try {
        wake(UUID.fromString(id));
      } catch (IllegalArgumentException e) {
        LOG.debug("execution-api - ignoring an events notice for '{}', not an instance id", id);
      }
    }
  }

  private void wake(UUID procInstId) {
    Set<Subscription> set = subscribers.get(procInstId);
    if (set != null) set.forEach(Subscription::signal);
  }

  private void wakeAll() {
    subscribers.values().forEach(set -> set.forEach(Subscription::signal));
  }

  /**
   * One stream's interest in one instance. A signal that arrives while nobody waits is kept, so a
   * notification between "read the events" and "wait" is never lost.
   */
  final class Subscription implements AutoCloseable {
    private final UUID procInstId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    private volatile long lastSeen;

    private Subscription(UUID procInstId, long afterId) {
      this.procInstId = procInstId;
      this.lastSeen = afterId;
    }

    /** The stream has read the instance's events up to {@code eventId}. */
    void seen(long eventId) {
      lastSeen = eventId;
    }

    /**
     * Waits until the instance may have new events, the feed closes, or {@code max} passes (the
     * fallback poll). Returns true when woken by a signal.
     */
    boolean await(Duration max) throws InterruptedException {
      lock.lock();
      try {
        long nanos = max.toNanos();
        while (!pending && !closed && nanos > 0) {
          nanos = signalled.awaitNanos(nanos);
        }
        boolean woken = pending;
        pending = false;
        return woken;
      } finally {
        lock.unlock();
      }
    }

    private void signal() {
      lock.lock();
      try {
        pending = true;
        signalled.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      subscribers.computeIfPresent(
          procInstId,
          (id, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
          });
    }
  }
}
