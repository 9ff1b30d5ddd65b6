package dev.podflow.store.notify;

import dev.podflow.store.Database;
import dev.podflow.store.Notifier;
import dev.podflow.store.TestSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code LISTEN} session on a dedicated connection, handing each channel's notifications to
 * that channel's {@link Handler}. Every listener in Podflow is one of these (the pods' wake-ups,
 * the API's event feed), so reconnecting, silence detection and backoff are written once.
 *
 * <ul>
 *   <li>A notification's payload may carry several words (the {@link Notifier} merges what is sent
 *       together, separated by {@link Notifier#PAYLOAD_SEPARATOR}); the handler gets them split,
 *       those of one wake-up together.
 *   <li>When the session breaks it reconnects, waiting {@link Settings#initialBackoff()} doubled
 *       after every failed attempt up to {@link Settings#maxBackoff()}.
 *   <li>Notifications sent while no session listens are lost, so after every (re)connect the {@code
 *       onConnect} callback runs: wake everyone who waits, they look for themselves.
 *   <li>A session that heard nothing for {@link Settings#probeAfterSilence()} is probed (its {@code
 *       LISTEN}s run again, a round trip bounded by {@link Settings#probeTimeout()}), so a
 *       connection that died silently is found and replaced. The probe also keeps the session's
 *       last statement in {@code pg_stat_activity} naming the last channel it listens on.
 *   <li>{@link #close()} aborts the socket under a blocked receive rather than waiting for it.
 * </ul>
 *
 * <p>Handlers and {@code onConnect} run on the listening thread: keep them quick. One that throws
 * is logged and the session goes on. Thread-safe.
 */
public final class NoticeListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NoticeListener.class);

  /** Takes the words of the notifications a wake-up brought on one channel. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param words the payload words, split and without duplicates, in arrival order; empty when
     *     the notifications carried none
     */
    void handle(List<String> words);
  }

  /** Timings of reconnects and probes, checked once here. */
  public record Settings(
      Duration initialBackoff,
      Duration maxBackoff,
      Duration probeAfterSilence,
      Duration probeTimeout) {
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PROBE_AFTER_SILENCE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);

    public Settings {
      for (Duration d : List.of(initialBackoff, maxBackoff, probeAfterSilence, probeTimeout)) {
        if (d.toMillis() < 1) {
          throw new IllegalArgumentException("listener durations must be 1 ms or more, not " + d);
        }
      }
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        throw new IllegalArgumentException(
            "initial backoff " + initialBackoff + " exceeds the maximum " + maxBackoff);
      }
    }

    public static Settings defaults() {
      return new Settings(
          DEFAULT_INITIAL_BACKOFF,
          DEFAULT_MAX_BACKOFF,
          DEFAULT_PROBE_AFTER_SILENCE,
          DEFAULT_PROBE_TIMEOUT);
    }
  }

  /** Points tests can wait for; see {@link TestSignal}. */
  public static final class TestSignals {
    /** A session listens, and {@code onConnect} has run: its backend's process id. */
    public final TestSignal<Integer> listening = new TestSignal<>();

    /** A session broke: why. */
    public final TestSignal<Exception> lost = new TestSignal<>();

    /** A silent session answered its probe: its backend's process id. */
    public final TestSignal<Integer> probed = new TestSignal<>();

    /** A channel's handler has run. */
    public final TestSignal<Channel> dispatched = new TestSignal<>();
  }

  private final Database database;
  private final String applicationName;
  private final Map<Channel, Handler> handlers;
  private final Runnable onConnect;
  private final Settings settings;
  private final TestSignals testSignals = new TestSignals();
  private final Thread thread;
  private volatile boolean started;
  private volatile boolean closed;
  private volatile boolean listening;
  private volatile Connection connection;

  private NoticeListener(Builder builder) {
    this.database = builder.database;
    this.applicationName = builder.applicationName;
    this.handlers = new LinkedHashMap<>(builder.handlers);
    this.onConnect = builder.onConnect;
    this.settings = builder.settings;
    this.thread = Thread.ofPlatform().daemon().name(applicationName).unstarted(this::run);
  }

  /**
   * A listener whose session shows as {@code applicationName} in {@code pg_stat_activity} (and
   * names its thread and its log lines).
   */
  public static Builder builder(Database database, String applicationName) {
    return new Builder(database, applicationName);
  }

  /** Starts listening in the background; once. */
  public synchronized NoticeListener start() {
    if (started) throw new IllegalStateException(applicationName + " was already started");
    started = true;
    thread.start();
    return this;
  }

  /**
   * True while a session listens, from the moment its {@code onConnect} callback has run; false
   * while (re)connecting and once closed.
   */
  public boolean isListening() {
    return listening;
  }

  public TestSignals testSignals() {
    return testSignals;
  }

  /** Stops listening: drops the session at once, even under a blocked receive. */
  @Override
  public void close() {
    closed = true;
    abortSession();
    thread.interrupt();
    if (started && Thread.currentThread() != thread) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    Duration backoff = settings.initialBackoff();
    while (!closed) {
      try (Connection session = database.openDedicatedConnection(applicationName)) {
        connection = session;
        if (closed) break; // close() may have looked for the session before it was there
        session.setNetworkTimeout(Runnable::run, (int) settings.probeTimeout().toMillis());
        listen(session);
        int pid = session.unwrap(PGConnection.class).getBackendPID();
        backoff = settings.initialBackoff();
        log.info("{} - listening on {} (backend {})", applicationName, channelNames(), pid);
        connected();
        listening = true;
        testSignals.listening.signal(pid);
        receive(session, pid);
      } catch (SQLException | RuntimeException e) {
        if (closed) break;
        log.warn(
            "{} - LISTEN session lost ({}); reconnecting in {} ms",
            applicationName,
            e.getMessage(),
            backoff.toMillis());
        testSignals.lost.signal(e);
      } finally {
        listening = false;
        connection = null;
      }
      if (closed || !pause(backoff)) break;
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(settings.maxBackoff()) > 0) backoff = settings.maxBackoff();
    }
    log.info("{} - stopped listening", applicationName);
  }

  /** LISTENs on each channel, in the order they were added. */
  private void listen(Connection session) throws SQLException {
    try (Statement st = session.createStatement()) {
      // LISTEN takes its channel as an identifier, not a parameter; the names come from Channel.
      for (Channel channel : handlers.keySet()) st.execute("LISTEN " + channel.sqlName());
    }
  }

  private void receive(Connection session, int pid) throws SQLException {
    PGConnection pg = session.unwrap(PGConnection.class);
    int silence = (int) settings.probeAfterSilence().toMillis();
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(silence);
      if (closed) return;
      if (notifications != null && notifications.length > 0) {
        dispatch(notifications);
      } else {
        listen(session); // the probe: a round trip, bounded by the network timeout
        log.debug("{} - silent session answered its probe", applicationName);
        testSignals.probed.signal(pid);
      }
    }
  }

  private void dispatch(PGNotification[] notifications) {
    Map<Channel, Set<String>> words = new EnumMap<>(Channel.class);
    for (PGNotification notification : notifications) {
      Channel channel = Channel.bySqlName(notification.getName());
      if (channel == null || !handlers.containsKey(channel)) {
        log.debug("{} - ignoring a notification on {}", applicationName, notification.getName());
        continue;
      }
      words
          .computeIfAbsent(channel, c -> new LinkedHashSet<>())
          .addAll(words(notification.getParameter()));
    }
    words.forEach(
        (channel, channelWords) -> {
          try {
            handlers.get(channel).handle(List.copyOf(channelWords));
          } catch (RuntimeException e) {
            log.warn("{} - the {} handler failed", applicationName, channel.sqlName(), e);
          }
          testSignals.dispatched.signal(channel);
        });
  }

  /**
   * The words of a (possibly merged) payload, in order, empty ones dropped: the one place payloads
   * are split (the {@link Notifier} joins them).
   */
  public static List<String> words(String payload) {
    List<String> words = new ArrayList<>();
    if (payload == null) return words;
    for (String word : payload.split(Notifier.PAYLOAD_SEPARATOR)) {
      if (!word.isEmpty()) words.add(word);
    }
    return words;
  }

  private void connected() {
    try {
      onConnect.run();
    } catch (RuntimeException e) {
      log.warn("{} - the on-connect callback failed", applicationName, e);
    }
  }

  /** Waits out a backoff; false when close() interrupted it. */
  private boolean pause(Duration backoff) {
    try {
      Thread.sleep(backoff);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Closes the socket under a blocked receive, so the listening thread sees an error at once. */
  private void abortSession() {
    Connection current = connection;
    if (current == null) return;
    try {
      current.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      log.debug("{} - aborting the session failed: {}", applicationName, e.toString());
    }
  }

  private List<String> channelNames() {
    List<String> names = new ArrayList<>();
    for (Channel channel : handlers.keySet()) names.add(channel.sqlName());
    return names;
  }

  /** Collects the channels and callbacks of a {@link NoticeListener}; not thread-safe. */
  public static final class Builder {
    private final Database database;
    private final String applicationName;
    private final Map<Channel, Handler> handlers = new LinkedHashMap<>();
    private Runnable onConnect = () -> {};
    private Settings settings = Settings.defaults();

    private Builder(Database database, String applicationName) {
      this.database = database;
      this.applicationName = applicationName;
    }

    /**
     * Listens on {@code channel}, handing its notifications to {@code handler}. Channels are
     * LISTENed in the order they are added.
     */
    public Builder on(Channel channel, Handler handler) {
      if (handlers.putIfAbsent(channel, handler) != null) {
        throw new IllegalArgumentException(channel + " has a handler already");
      }
      return this;
    }

    /** Runs after every (re)connect, once the session listens. */
    public Builder onConnect(Runnable callback) {
      this.onConnect = callback;
      return this;
    }

    public Builder settings(Settings settings) {
      this.settings = settings;
      return this;
    }

    /** The listener, not started yet (a test may initialize its signals first). */
    public NoticeListener build() {
      if (handlers.isEmpty()) {
        throw new IllegalStateException(applicationName + " listens on no channel");
      }
      return new NoticeListener(this);
    }

    /** {@link #build()} and {@link NoticeListener#start()}. */
    public NoticeListener start() {
      return build().start();
    }
  }
}
