package dev.podflow.api;

import dev.podflow.store.Database;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API process's one {@code LISTEN podflow_events} session (a {@link NoticeListener}): each
 * notification wakes the {@link Subscription}s of the instances it names; subscribers then read the
 * new events themselves, so a notification carries no data and a lost one costs at most a
 * subscriber's poll interval. After every (re)connect it wakes every subscriber, since
 * notifications sent meanwhile are gone. Thread-safe.
 */
final class EventFeed implements AutoCloseable {
  static final String APPLICATION_NAME = "podflow-api-events";

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final ConcurrentMap<UUID, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private final NoticeListener listener;
  private volatile boolean closed;

  private EventFeed(Database database) {
    this.listener =
        NoticeListener.builder(database, APPLICATION_NAME)
            .on(Channel.EVENTS, this::wake)
            .onConnect(this::wakeAll)
            .build();
  }

  /** Starts listening in the background; streams poll until the first LISTEN succeeds. */
  static EventFeed start(Database database) {
    EventFeed feed = new EventFeed(database);
    feed.listener.start();
    return feed;
  }

  /** Follows one instance until the subscription is closed. */
  Subscription subscribe(UUID procInstId) {
    Subscription subscription = new Subscription(procInstId);
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
  }

  /** Wakes the followers of each instance named. */
  private void wake(List<String> procInstIds) {
    for (String id : procInstIds) {
      UUID procInstId;
      try {
        procInstId = UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        LOG.debug("execution-api - ignoring an events notice for '{}', not an instance id", id);
        continue;
      }
      Set<Subscription> set = subscribers.get(procInstId);
      if (set != null) set.forEach(Subscription::signal);
    }
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

    private Subscription(UUID procInstId) {
      this.procInstId = procInstId;
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
