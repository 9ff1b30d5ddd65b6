package dev.podflow.api;

import dev.podflow.store.Database;
import dev.podflow.store.Notifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API process's one {@code LISTEN podflow_events} session. A thread blocks on the dedicated
 * connection and wakes the {@link Subscription}s of the instances each notification names (one or
 * more ids, see {@link Notifier}); subscribers then read the new events themselves, so a
 * notification carries no data and a lost one costs at most a subscriber's poll interval.
 *
 * <p>When the connection breaks, the feed reconnects with backoff and wakes every subscriber, since
 * notifications sent meanwhile are gone. Thread-safe.
 */
final class EventFeed implements AutoCloseable {
  static final String CHANNEL = "podflow_events";
  static final String APPLICATION_NAME = "podflow-api-events";
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  /** How long one wait for notifications lasts; bounds how late close() is noticed. */
  private static final int RECEIVE_TIMEOUT_MS = 500;

  /** An idle session is probed this often, so a silently dead connection is found. */
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);

  private final Database database;
  private final ConcurrentMap<UUID, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private final Thread listener;
  private volatile boolean closed;
  private volatile boolean listening;
  private volatile Connection connection;

  private EventFeed(Database database) {
    this.database = database;
    this.listener =
        Thread.ofPlatform().name("podflow-api-event-feed").daemon().unstarted(this::run);
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
    return listening;
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
    listener.interrupt();
    abortConnection();
    wakeAll();
    try {
      listener.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration backoff = INITIAL_BACKOFF;
    while (!closed) {
      try (Connection session = database.openDedicatedConnection(APPLICATION_NAME)) {
        connection = session;
        if (closed) break;
        try (Statement st = session.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        listening = true;
        backoff = INITIAL_BACKOFF;
        LOG.info("execution-api - event feed listening on {}", CHANNEL);
        // Anything sent while we were not listening is lost: let every stream look for itself.
        wakeAll();
        receive(session);
      } catch (SQLException | RuntimeException e) {
        if (closed) break;
        LOG.warn(
            "execution-api - event feed lost its connection ({}); reconnecting in {} ms",
            e.getMessage(),
            backoff.toMillis());
      } finally {
        listening = false;
        connection = null;
      }
      if (closed) break;
      wakeAll();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    LOG.info("execution-api - event feed stopped");
  }

  private void receive(Connection session) throws SQLException {
    PGConnection pg = session.unwrap(PGConnection.class);
    long lastHeard = System.nanoTime();
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MS);
      if (notifications != null && notifications.length > 0) {
        lastHeard = System.nanoTime();
        for (PGNotification notification : notifications) {
          wake(notification.getParameter());
        }
      } else if (System.nanoTime() - lastHeard > PROBE_INTERVAL.toNanos()) {
        try (Statement st = session.createStatement()) {
          st.execute("SELECT 1");
        }
        lastHeard = System.nanoTime();
      }
    }
  }

  /** Drops the socket under a blocked receive, so close() need not wait for its timeout. */
  private void abortConnection() {
    Connection current = connection;
    if (current == null) return;
    try {
      current.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("execution-api - event feed connection abort failed: {}", e.toString());
    }
  }

  /** Wakes the followers of each instance the payload names (ids separated by spaces). */
  private void wake(String payload) {
    for (String id : payload.split(Notifier.PAYLOAD_SEPARATOR)) {
      UUID procInstId;
      try {
        procInstId = UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        LOG.debug("execution-api - ignoring {} notification with payload '{}'", CHANNEL, id);
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
