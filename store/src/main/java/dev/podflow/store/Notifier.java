package dev.podflow.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code NOTIFY}s after the transactions that call for them have committed, in a statement of
 * their own.
 *
 * <p>Why not inside the transaction: PostgreSQL serializes the commits of every transaction that
 * notified, cluster-wide, with a lock held across the commit's WAL flush, so at high rates NOTIFY
 * in the hot transactions turns group commit into one fsync after another (measured: commits queued
 * on {@code Lock:object} and {@code WALSync}, the queue drain 7× below the raw-SQL limit). A
 * statement that only notifies writes no WAL, so it holds that lock only for a moment.
 *
 * <p>The {@linkplain #async asynchronous} notifier hands the notifications to one background thread
 * that coalesces everything queued meanwhile (duplicates removed) into one {@code SELECT
 * pg_notify(...)}; the {@linkplain #inline inline} one sends at once on the caller's thread. A
 * notification lost to a crash or an outage between the commit and the send costs its listeners
 * their fallback poll, as one lost while a listener reconnects always did. Thread-safe.
 */
public abstract sealed class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final String SEND =
      "SELECT count(pg_notify(n.channel, n.payload))"
          + " FROM unnest(CAST(:channels AS text[]), CAST(:payloads AS text[])) AS n(channel, payload)";

  /** One notification. */
  public record Notification(String channel, String payload) {}

  final Jdbi jdbi;

  private Notifier(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Sends on the caller's thread, right away. */
  public static Notifier inline(Jdbi jdbi) {
    return new Inline(jdbi);
  }

  /** Sends on a background thread, coalescing what piles up while one send is under way. */
  public static Notifier async(Jdbi jdbi, String name) {
    return new Async(jdbi, name);
  }

  /** Queues (or sends) one notification; never throws for a database problem. */
  public void send(String channel, String payload) {
    send(List.of(new Notification(channel, payload)));
  }

  /** Queues (or sends, in one statement) notifications; never throws for a database problem. */
  public abstract void send(List<Notification> notifications);

  @Override
  public void close() {}

  void deliver(List<Notification> batch) {
    String[] channels = new String[batch.size()];
    String[] payloads = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      channels[i] = batch.get(i).channel();
      payloads[i] = batch.get(i).payload();
    }
    try {
      jdbi.useHandle(
          h ->
              h.createQuery(SEND)
                  .bind("channels", channels)
                  .bind("payloads", payloads)
                  .mapTo(Long.class)
                  .one());
    } catch (RuntimeException e) {
      log.debug("NOTIFY of {} notification(s) failed: {}", batch.size(), e.getMessage());
    }
  }

  private static final class Inline extends Notifier {
    Inline(Jdbi jdbi) {
      super(jdbi);
    }

    @Override
    public void send(List<Notification> notifications) {
      deliver(notifications);
    }
  }

  private static final class Async extends Notifier {
    private final Set<Notification> pending = new LinkedHashSet<>();
    private final Thread thread;
    private boolean closed;

    Async(Jdbi jdbi, String name) {
      super(jdbi);
      this.thread = Thread.ofPlatform().daemon().name("podflow-notify-" + name).start(this::run);
    }

    @Override
    public void send(List<Notification> notifications) {
      synchronized (pending) {
        if (!closed) {
          pending.addAll(notifications);
          pending.notifyAll();
          return;
        }
      }
      deliver(notifications);
    }

    private void run() {
      while (true) {
        List<Notification> batch;
        synchronized (pending) {
          while (pending.isEmpty() && !closed) {
            try {
              pending.wait();
            } catch (InterruptedException e) {
              closed = true;
            }
          }
          if (pending.isEmpty()) return;
          batch = new ArrayList<>(pending);
          pending.clear();
        }
        deliver(batch);
      }
    }

    /** Sends what is still queued, then stops the thread. */
    @Override
    public void close() {
      synchronized (pending) {
        closed = true;
        pending.notifyAll();
      }
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
