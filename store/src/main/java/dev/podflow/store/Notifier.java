package dev.podflow.store;

import dev.podflow.store.notify.Channel;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
 * <p>What is sent together is merged: one notification per channel, whose payload is the distinct
 * payloads separated by spaces (split to stay under PostgreSQL's 8000-byte limit). Listeners split
 * it ({@link dev.podflow.store.notify.NoticeListener}). Every notifying commit wakes every
 * listening session of the database, so fewer, fuller notifications are much cheaper than one per
 * event.
 *
 * <p>The {@linkplain #async asynchronous} notifier hands the notifications to one background thread
 * that sends everything queued while it was sending in one statement; it sends only the channels it
 * was made for (a pod sends no {@link Channel#EVENTS}). The {@linkplain #inline inline} one sends
 * at once on the caller's thread. A notification lost to a crash or an outage between the commit
 * and the send costs its listeners their fallback poll, as one lost while a listener reconnects
 * always did. Thread-safe.
 */
public abstract sealed class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  /** Payload bytes per merged notification: PostgreSQL refuses 8000 and more. */
  static final int MAX_PAYLOAD_BYTES = 7_900;

  /** The separator of merged payloads. */
  public static final String PAYLOAD_SEPARATOR = " ";

  private static final NamedSql SEND = NamedSql.load(Notifier.class, "notifyMany");

  /** One notification; {@code channel} is the name of a {@link Channel}. */
  public record Notification(String channel, String payload) {
    public Notification(Channel channel, String payload) {
      this(channel.sqlName(), payload);
    }
  }

  final Jdbi jdbi;

  /** The channels this notifier sends; notifications on others are dropped. */
  private final Set<String> channels;

  private Notifier(Jdbi jdbi, Set<Channel> channels) {
    this.jdbi = jdbi;
    this.channels = channels.stream().map(Channel::sqlName).collect(Collectors.toSet());
  }

  /** Sends on the caller's thread, right away, on every channel. */
  public static Notifier inline(Jdbi jdbi) {
    return new Inline(jdbi, EnumSet.allOf(Channel.class));
  }

  /**
   * Sends on a background thread, merging what piles up meanwhile, on {@code channels} only (a pod
   * leaves {@link Channel#EVENTS} to the API's event feed, which reads new events itself).
   */
  public static Notifier async(Jdbi jdbi, String name, Set<Channel> channels) {
    return new Async(jdbi, name, channels);
  }

  /** Queues (or sends, in one statement) notifications to go at once; never throws. */
  public void send(List<Notification> notifications) {
    List<Notification> sent = sentOf(notifications);
    if (!sent.isEmpty()) queue(sent);
  }

  abstract void queue(List<Notification> notifications);

  private List<Notification> sentOf(List<Notification> notifications) {
    for (Notification n : notifications) {
      if (!channels.contains(n.channel())) {
        return notifications.stream().filter(m -> channels.contains(m.channel())).toList();
      }
    }
    return notifications;
  }

  @Override
  public void close() {}

  /**
   * One notification per channel and up to {@link #MAX_PAYLOAD_BYTES} of payload, carrying the
   * distinct payloads of {@code notifications} separated by {@link #PAYLOAD_SEPARATOR}.
   */
  static List<Notification> merge(Iterable<Notification> notifications) {
    Map<String, Set<String>> byChannel = new LinkedHashMap<>();
    for (Notification n : notifications) {
      byChannel.computeIfAbsent(n.channel(), c -> new LinkedHashSet<>()).add(n.payload());
    }
    List<Notification> merged = new ArrayList<>();
    byChannel.forEach(
        (channel, payloads) -> {
          StringBuilder payload = new StringBuilder();
          int bytes = 0;
          for (String p : payloads) {
            int size = p.getBytes(StandardCharsets.UTF_8).length;
            if (payload.length() > 0 && bytes + 1 + size > MAX_PAYLOAD_BYTES) {
              merged.add(new Notification(channel, payload.toString()));
              payload.setLength(0);
              bytes = 0;
            }
            if (payload.length() > 0) {
              payload.append(PAYLOAD_SEPARATOR);
              bytes++;
            }
            payload.append(p);
            bytes += size;
          }
          merged.add(new Notification(channel, payload.toString()));
        });
    return merged;
  }

  void deliver(Iterable<Notification> notifications) {
    List<Notification> merged = merge(notifications);
    String[] channels = new String[merged.size()];
    String[] payloads = new String[merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      channels[i] = merged.get(i).channel();
      payloads[i] = merged.get(i).payload();
    }
    try {
      jdbi.useHandle(
          h -> {
            try (NamedSql.Bound st = SEND.prepare(h.getConnection())) {
              st.array("channels", "text", channels).array("payloads", "text", payloads);
              try (ResultSet rs = st.statement.executeQuery()) {
                rs.next();
              }
            }
          });
    } catch (SQLException | RuntimeException e) {
      log.debug("NOTIFY of {} notification(s) failed: {}", merged.size(), e.getMessage());
    }
  }

  private static final class Inline extends Notifier {
    Inline(Jdbi jdbi, Set<Channel> channels) {
      super(jdbi, channels);
    }

    @Override
    void queue(List<Notification> notifications) {
      deliver(notifications);
    }
  }

  private static final class Async extends Notifier {
    private final Set<Notification> pending = new LinkedHashSet<>();
    private final Thread thread;
    private boolean closed;

    Async(Jdbi jdbi, String name, Set<Channel> channels) {
      super(jdbi, channels);
      this.thread = Thread.ofPlatform().daemon().name("podflow-notify-" + name).start(this::run);
    }

    @Override
    void queue(List<Notification> notifications) {
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
          try {
            while (pending.isEmpty() && !closed) pending.wait();
          } catch (InterruptedException e) {
            closed = true;
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
