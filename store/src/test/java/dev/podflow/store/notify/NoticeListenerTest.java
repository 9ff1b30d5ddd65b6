package dev.podflow.store.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.notify.NoticeListener.Settings;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NoticeListener} on a real PostgreSQL, in a database of its own that this class creates and
 * drops ({@code TEST_DATABASE_URL}, else the machine's server on 127.0.0.1:5432, user {@code
 * postgres}). Tests wait on the listener's test signals, never on sleeps.
 */
class NoticeListenerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Backoffs short enough for tests, and no probe unless a test asks for one. */
  private static final Settings QUICK =
      new Settings(
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          Duration.ofMinutes(10),
          Duration.ofSeconds(5));

  private static DatabaseConfig server;
  private static String databaseName;
  private static DatabaseConfig config;
  private static Database database;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void createDatabase() throws SQLException {
    String url = System.getenv("TEST_DATABASE_URL");
    server =
        url == null || url.isBlank()
            ? new DatabaseConfig(
                "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3",
                "postgres",
                null,
                2,
                "notice-listener-test")
            : DatabaseConfig.fromUrl(url);
    databaseName = "podflow_listener_test_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + databaseName);
    }
    config = onDatabase(server, server.jdbcUrl(), databaseName);
    database = Database.connect(config);
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) database.close();
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
    }
  }

  @AfterEach
  void closeWhatTheTestOpened() throws Exception {
    for (AutoCloseable c : toClose.reversed()) c.close();
  }

  @Test
  void eachChannelsHandlerGetsTheSplitWordsOfItsOwnNotifications() throws Exception {
    BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();
    BlockingQueue<List<String>> cancels = new LinkedBlockingQueue<>();
    AtomicInteger cancelCalls = new AtomicInteger();
    NoticeListener listener =
        started(
            NoticeListener.builder(database, "listener-test-dispatch")
                .on(Channel.EVENTS, events::add)
                .on(
                    Channel.CANCEL,
                    words -> {
                      if (cancelCalls.incrementAndGet() == 1) throw new IllegalStateException("x");
                      cancels.add(words);
                    }));

    notify(Channel.EVENTS, "a b a");
    assertThat(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("a", "b");

    notify(Channel.TASKS, "not listened to");
    notify(Channel.CANCEL, "7"); // its handler throws: logged, and the session goes on
    notify(Channel.CANCEL, "8 9");
    notify(Channel.EVENTS, "");
    assertThat(cancels.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("8", "9");
    assertThat(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("a notification without a payload still reaches its handler")
        .isEmpty();
    assertThat(listener.isListening()).isTrue();
  }

  @Test
  void reconnectsAfterItsSessionIsTerminatedAndWakesEveryoneAgain() throws Exception {
    AtomicInteger connects = new AtomicInteger();
    BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();
    NoticeListener listener =
        NoticeListener.builder(database, "listener-test-reconnect")
            .on(Channel.EVENTS, events::add)
            .onConnect(connects::incrementAndGet)
            .settings(QUICK)
            .build();
    NoticeListener.TestSignals signals = listener.testSignals();
    signals.listening.init();
    signals.lost.init();
    toClose.add(listener.start());
    int first = signals.listening.waitOrTimeout(WAIT);
    assertThat(connects).hasValue(1);

    assertThat(terminate(first)).isTrue();

    assertThat(signals.lost.waitOrTimeout(WAIT)).isNotNull();
    int second = signals.listening.waitOrTimeout(WAIT);
    assertThat(second).isNotEqualTo(first);
    assertThat(connects).as("the on-connect wake-up ran again").hasValue(2);
    assertThat(listener.isListening()).isTrue();
    notify(Channel.EVENTS, "after");
    assertThat(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("after");
  }

  @Test
  void aSilentSessionIsProbedAndStillNamesItsChannelInPgStatActivity() throws Exception {
    NoticeListener listener =
        NoticeListener.builder(database, "listener-test-probe")
            .on(Channel.CANCEL, words -> {})
            .on(Channel.TASKS, words -> {})
            .settings(
                new Settings(
                    Duration.ofMillis(50),
                    Duration.ofMillis(200),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(5)))
            .build();
    listener.testSignals().listening.init();
    listener.testSignals().probed.init();
    toClose.add(listener.start());
    int pid = listener.testSignals().listening.waitOrTimeout(WAIT);

    assertThat(listener.testSignals().probed.waitOrTimeout(WAIT)).isEqualTo(pid);
    assertThat(listener.testSignals().probed.waitOrTimeout(WAIT)).isEqualTo(pid);

    assertThat(lastStatementOf(pid)).isEqualTo("LISTEN " + Channel.TASKS.sqlName());
    assertThat(listener.isListening()).isTrue();
  }

  @Test
  void aConnectionThatWentSilentlyDeadIsFoundByTheProbeAndReplaced() throws Exception {
    URI target = URI.create(server.jdbcUrl().substring("jdbc:".length()));
    SilenceableProxy proxy = new SilenceableProxy(target.getHost(), target.getPort());
    toClose.add(proxy);
    String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
    Database proxied = Database.connect(onDatabase(server, viaProxy, databaseName));
    toClose.add(proxied);
    NoticeListener listener =
        NoticeListener.builder(proxied, "listener-test-silent-death")
            .on(Channel.EVENTS, words -> {})
            .settings(
                new Settings(
                    Duration.ofMillis(50),
                    Duration.ofMillis(200),
                    Duration.ofMillis(200),
                    Duration.ofMillis(500)))
            .build();
    NoticeListener.TestSignals signals = listener.testSignals();
    signals.listening.init();
    signals.lost.init();
    toClose.add(listener.start());
    int first = signals.listening.waitOrTimeout(WAIT);

    proxy.silenceOpenConnections(); // no bytes either way, and no FIN or RST: a dead network path

    assertThat(signals.lost.waitOrTimeout(WAIT)).isInstanceOf(SQLException.class);
    assertThat(signals.listening.waitOrTimeout(WAIT)).isNotEqualTo(first);
    assertThat(listener.isListening()).isTrue();
  }

  @Test
  void closeReturnsAtOnceWhileTheReceiveIsBlocked() throws Exception {
    NoticeListener listener =
        NoticeListener.builder(database, "listener-test-close")
            .on(Channel.EVENTS, words -> {})
            .settings(QUICK) // the receive blocks for up to ten minutes
            .build();
    listener.testSignals().listening.init();
    listener.start();
    int pid = listener.testSignals().listening.waitOrTimeout(WAIT);

    long started = System.nanoTime();
    listener.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(listener.isListening()).isFalse();
    awaitCondition("the session to end on the server", () -> lastStatementOf(pid) == null);
  }

  @Test
  void aListenerThatCannotConnectKeepsTryingAndClosesPromptly() throws Exception {
    SilenceableProxy nothingBehind = new SilenceableProxy("127.0.0.1", 1);
    toClose.add(nothingBehind);
    Database unreachable =
        Database.connect(
            onDatabase(server, "jdbc:postgresql://127.0.0.1:" + nothingBehind.port() + "/x", "x"));
    toClose.add(unreachable);
    NoticeListener listener =
        NoticeListener.builder(unreachable, "listener-test-unreachable")
            .on(Channel.EVENTS, words -> {})
            .settings(QUICK)
            .build();
    listener.testSignals().lost.init();
    listener.start();

    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(listener.testSignals().lost.waitOrTimeout(WAIT)).isInstanceOf(SQLException.class);
    }
    assertThat(listener.isListening()).isFalse();
    long started = System.nanoTime();
    listener.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void settingsAreCheckedOnce() {
    Duration second = Duration.ofSeconds(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Settings(Duration.ofSeconds(2), second, second, second))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the maximum");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Settings(second, second, Duration.ZERO, second))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPayloadSplitsIntoItsNonEmptyWords() {
    assertThat(NoticeListener.words("a b  c")).containsExactly("a", "b", "c");
    assertThat(NoticeListener.words("")).isEmpty();
    assertThat(NoticeListener.words(null)).isEmpty();
  }

  private NoticeListener started(NoticeListener.Builder builder) throws InterruptedException {
    NoticeListener listener = builder.settings(QUICK).build();
    listener.testSignals().listening.init();
    toClose.add(listener.start());
    listener.testSignals().listening.waitOrTimeout(WAIT);
    return listener;
  }

  private static void notify(Channel channel, String payload) throws SQLException {
    try (Connection c = connect(config);
        PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      st.setString(1, channel.sqlName());
      st.setString(2, payload);
      st.execute();
    }
  }

  private static boolean terminate(int pid) throws SQLException {
    try (Connection c = connect(config);
        PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      st.setInt(1, pid);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The session's last statement, or null once the session is gone. */
  private static String lastStatementOf(int pid) {
    try (Connection c = connect(config);
        PreparedStatement st =
            c.prepareStatement("SELECT query FROM pg_stat_activity WHERE pid = ?")) {
      st.setInt(1, pid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  private static DatabaseConfig onDatabase(DatabaseConfig server, String url, String name) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    String onDb = url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
    return new DatabaseConfig(onDb, server.user(), server.password(), 2, "notice-listener-test");
  }

  private static Connection connect(DatabaseConfig config) throws SQLException {
    Properties props = new Properties();
    if (config.user() != null) props.setProperty("user", config.user());
    if (config.password() != null) props.setProperty("password", config.password());
    return DriverManager.getConnection(config.jdbcUrl(), props);
  }
}
