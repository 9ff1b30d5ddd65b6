package dev.podflow.chaos;

import dev.podflow.launcher.EmbeddedDatabase;
import dev.podflow.launcher.EmbeddedDatabase.Data;
import dev.podflow.store.DatabaseConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL a chaos run works against, and the injuries aimed at it: terminating backends and
 * restarting the server.
 *
 * <p>By default an embedded PostgreSQL (real binaries from a Maven jar, synchronous commits on) on
 * a fixed free port with a data directory that survives restarts, so it can be crashed or stopped
 * and started again where the pods expect it. With a {@code --database-url} the server is someone
 * else's: restarts need a command.
 */
abstract sealed class ChaosPostgres implements AutoCloseable {

  /** {@code DATABASE_URL} for the pods. */
  abstract String url();

  /** Connection settings for the harness's own pool. */
  DatabaseConfig config() {
    return DatabaseConfig.fromUrl(url());
  }

  abstract boolean canRestart();

  /** Stops PostgreSQL, waits {@code downtime}, starts it again; returns when it accepts work. */
  abstract void restart(Duration downtime) throws Exception;

  abstract String describe();

  /** Keeps or removes what the run left on disk; {@code keep} after a failed run. */
  void cleanUp(boolean keep) {}

  @Override
  public abstract void close();

  /**
   * {@code pg_terminate_backend} on every other session of the database: pods' pools, their LISTEN
   * sessions and the harness's own pool. Returns how many backends were terminated.
   */
  int terminateBackends() throws SQLException {
    try (Connection c = connect(Duration.ofSeconds(5));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Waits until a fresh connection answers {@code SELECT 1}. */
  void awaitUp(Duration timeout) throws SQLException, InterruptedException {
    Instant giveUp = Instant.now().plus(timeout);
    while (true) {
      try (Connection c = connect(Duration.ofSeconds(3));
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        return;
      } catch (SQLException e) {
        if (Instant.now().isAfter(giveUp)) throw e;
        Thread.sleep(200);
      }
    }
  }

  Connection connect(Duration timeout) throws SQLException {
    DatabaseConfig config = config();
    Properties props = new Properties();
    if (config.user() != null) props.setProperty("user", config.user());
    if (config.password() != null) props.setProperty("password", config.password());
    props.setProperty("ApplicationName", "podflow-chaos-injector");
    props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(config.jdbcUrl(), props);
  }

  static ChaosPostgres embedded(Path dataDir, String restartMode, Path serverLog) {
    return new Embedded(dataDir, restartMode, serverLog);
  }

  static ChaosPostgres external(String url, String restartCommand, Path logDir) {
    return new External(url, restartCommand, logDir);
  }

  /**
   * An embedded PostgreSQL owned by the harness, as durable as the demo's ({@link
   * EmbeddedDatabase}): a fresh cluster per run, on one port across its restarts.
   */
  static final class Embedded extends ChaosPostgres {
    private final Path dataDir;
    private final String restartMode;
    private final Path serverLog;
    private final int port;
    private EmbeddedDatabase server;

    Embedded(Path dataDir, String restartMode, Path serverLog) {
      this.dataDir = dataDir.toAbsolutePath();
      this.restartMode = restartMode;
      this.serverLog = serverLog;
      try {
        this.port = freePort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.server = EmbeddedDatabase.start(this.dataDir, port, serverLog, Data.FRESH);
    }

    @Override
    String url() {
      return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    @Override
    boolean canRestart() {
      return true;
    }

    @Override
    synchronized void restart(Duration downtime) throws Exception {
      EmbeddedDatabase stopping = server;
      server = null;
      if (restartMode.equals("immediate")) {
        stopping.crash(); // SIGKILL: no shutdown checkpoint, the start below replays the WAL
      } else {
        stopping.close();
      }
      Thread.sleep(downtime.toMillis());
      server = EmbeddedDatabase.start(dataDir, port, serverLog, Data.KEEP);
      awaitUp(Duration.ofSeconds(30));
    }

    @Override
    String describe() {
      return "embedded PostgreSQL on port " + port + ", data in " + dataDir;
    }

    @Override
    public synchronized void close() {
      if (server != null) server.close();
      server = null;
    }

    @Override
    void cleanUp(boolean keep) {
      if (keep) return;
      try {
        deleteRecursively(dataDir);
      } catch (IOException e) {
        // a leftover data directory is harmless; the next run starts it afresh
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }

  /** Someone else's PostgreSQL; restarted only by a command the operator gives. */
  static final class External extends ChaosPostgres {
    private final String url;
    private final String restartCommand;
    private final Path logDir;

    External(String url, String restartCommand, Path logDir) {
      this.url = url;
      this.restartCommand = restartCommand;
      this.logDir = logDir;
      DatabaseConfig.fromUrl(url); // fails early on a malformed URL
    }

    @Override
    String url() {
      return url;
    }

    @Override
    boolean canRestart() {
      return restartCommand != null;
    }

    @Override
    void restart(Duration downtime) throws Exception {
      File log = logDir.resolve("restart-command.log").toFile();
      Process p =
          new ProcessBuilder("sh", "-c", restartCommand)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("--restart-command did not finish within 5 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "--restart-command exited with " + p.exitValue() + " (output in " + log + ")");
      }
      awaitUp(Duration.ofSeconds(60));
    }

    @Override
    String describe() {
      return DatabaseConfig.redact(url)
          + (restartCommand == null ? " (no restarts)" : " (restarted by command)");
    }

    @Override
    public void close() {}
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
