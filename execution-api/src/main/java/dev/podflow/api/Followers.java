package dev.podflow.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The live streams following one kind of thing, by its key (an instance's id, a user's inbox): a
 * wake-up of a key signals its streams' {@link Subscription}s, and each stream then reads what is
 * new for itself, so a wake-up carries no data. Thread-safe.
 *
 * @param <K> the key of what is followed
 */
final class Followers<K> {
  private final ConcurrentMap<K, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Follows {@code key} until the subscription is closed; its stream has read up to {@code afterId}
   * (0: nothing).
   */
  Subscription subscribe(K key, long afterId) {
    Subscription subscription =
        new Subscription(afterId, this::isClosed, closing -> unsubscribe(key, closing));
    subscribers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(subscription);
    return subscription;
  }

  void wake(K key) {
    Set<Subscription> set = subscribers.get(key);
    if (set != null) set.forEach(Subscription::signal);
  }

  void wakeAll() {
    subscribers.values().forEach(set -> set.forEach(Subscription::signal));
  }

  /** Each followed key with the lowest id its streams have read: what to look above. */
  Map<K, Long> marks() {
    Map<K, Long> marks = new HashMap<>();
    subscribers.forEach((key, set) -> set.forEach(s -> marks.merge(key, s.lastSeen, Math::min)));
    return marks;
  }

  int count() {
    return subscribers.values().stream().mapToInt(Set::size).sum();
  }

  boolean isClosed() {
    return closed;
  }

  /** Ends following: every subscription is woken, and waits no more, so its stream can end. */
  void close() {
    closed = true;
    wakeAll();
  }

  private void unsubscribe(K key, Subscription subscription) {
    subscribers.computeIfPresent(
        key,
        (k, set) -> {
          set.remove(subscription);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * One stream's interest in one key. A signal that arrives while nobody waits is kept, so a
   * wake-up between "read what is new" and "wait" is never lost.
   */
  static final class Subscription implements AutoCloseable {
    private final BooleanSupplier ended;
    private final Consumer<Subscription> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    private volatile long lastSeen;

    private Subscription(long afterId, BooleanSupplier ended, Consumer<Subscription> onClose) {
      this.lastSeen = afterId;
      this.ended = ended;
      this.onClose = onClose;
    }

    /** The stream has read up to {@code id}. */
    void seen(long id) {
      lastSeen = id;
    }

    /**
     * Waits until there may be something new, following ends, or {@code max} passes (the stream's
     * own fallback poll). Returns true when woken by a signal.
     */
    boolean await(Duration max) throws InterruptedException {
      lock.lock();
      try {
        long nanos = max.toNanos();
        while (!pending && !ended.getAsBoolean() && nanos > 0) {
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
      onClose.accept(this);
    }
  }
}
