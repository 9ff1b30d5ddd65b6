package dev.podflow.launcher;

import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.InvalidConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from real binaries shipped in a Maven jar (zonky), as durable as a real
 * one: synchronous commits and fsync on (zonky turns both off, so a crash of the server lost
 * commits it had acknowledged), its data in a directory that outlives the process and is reused by
 * the next start. It has no pgvector.
 *
 * <p>One process at a time per data directory ({@link DataDirectoryLock}); a server left running by
 * a process that was killed is shut down before a new one starts on its directory.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(30);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /** What a start does with data already in the directory. */
  public enum Data {
    /** Reuse it: the server recovers from its WAL what it had committed. */
    KEEP,
    /** Delete it first and start from an empty cluster. */
    FRESH
  }

  private final Path dataDir;
  private final DataDirectoryLock lock;
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(Path dataDir, DataDirectoryLock lock, EmbeddedPostgres postgres) {
    this.dataDir = dataDir;
    this.lock = lock;
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code dataDir} (created, and initialised, when empty).
   *
   * @param port the port to listen on; 0 picks a free one
   * @param serverLog where PostgreSQL's own output is appended
   * @throws DataDirectoryInUseException when another server runs on {@code dataDir}
   */
  public static EmbeddedDatabase start(Path dataDir, int port, Path serverLog, Data data) {
    Path dir = dataDir.toAbsolutePath().normalize();
    DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
    try {
      stopOrphan(dir);
      if (data == Data.FRESH) deleteCluster(dir);
      requireClusterOrEmpty(dir);
      Files.createDirectories(serverLog.toAbsolutePath().getParent());
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setRegisterShutdownHook(false)
              .setPGStartupWait(STARTUP_WAIT)
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on") // zonky passes -F (fsync off); a later -c wins
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
              .start();
      return new EmbeddedDatabase(dir, lock, postgres);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException(
          "could not start the embedded PostgreSQL on "
              + dir
              + ": "
              + e.getMessage()
              + " (its log: "
              + serverLog.toAbsolutePath()
              + ")",
          e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** Settings for a pool of {@code maxPoolSize} connections to its {@code postgres} database. */
  public DatabaseConfig config(int maxPoolSize, String poolName) {
    return new DatabaseConfig(jdbcUrl(), "postgres", null, maxPoolSize, poolName);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /**
   * Crashes the server: SIGKILL to the postmaster and every backend, so there is no shutdown
   * checkpoint and WAL still in shared memory is lost. The next start recovers from the WAL on
   * disk. For the chaos harness.
   */
  public void crash() {
    postmaster(dataDir).ifPresent(EmbeddedDatabase::killWithBackends);
    close(); // pg_ctl stop finds nothing to stop (and says so); the locks are released
  }

  /** Stops the server (fast shutdown: sessions are ended, a checkpoint is written). */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.close();
    }
  }

  /**
   * A server left running by a process that was killed (the postmaster outlives it): shut it down
   * so a new one can start on its directory. Only called while holding the directory's lock, so no
   * live process owns it.
   */
  private static void stopOrphan(Path dir) {
    postmaster(dir)
        .ifPresent(
            orphan -> {
              LOG.warn(
                  "embedded PostgreSQL - a server (pid {}) left running on {} by a stopped"
                      + " process; shutting it down",
                  orphan.pid(),
                  dir);
              orphan.destroy(); // SIGTERM: a smart shutdown; its clients are gone already
              if (!awaitExit(List.of(orphan), ORPHAN_SHUTDOWN_WAIT)) killWithBackends(orphan);
            });
  }

  /** The live postmaster named in {@code postmaster.pid}, if that process is PostgreSQL. */
  private static Optional<ProcessHandle> postmaster(Path dir) {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return Optional.empty();
    try (Stream<String> lines = Files.lines(pidFile)) {
      long pid = Long.parseLong(lines.findFirst().orElse("").trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // a stale or half-written pid file: PostgreSQL checks it too
    }
  }

  private static void killWithBackends(ProcessHandle postmaster) {
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    // Backends hold the shared memory until they are gone; a new server waits for that.
    if (!awaitExit(all, KILL_WAIT)) {
      LOG.warn("embedded PostgreSQL - processes of pid {} outlived SIGKILL", postmaster.pid());
    }
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }

  /** An empty directory, or one PostgreSQL initialised (it holds {@code PG_VERSION}). */
  private static void requireClusterOrEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || Files.exists(dir.resolve("PG_VERSION"))) return;
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new InvalidConfigurationException(
            dir
                + " holds files but no PostgreSQL data directory (no PG_VERSION); point"
                + " PODFLOW_DATA_DIR at an empty or a Podflow data directory");
      }
    }
  }

  private static void deleteCluster(Path dir) throws IOException {
    requireClusterOrEmpty(dir); // never wipe a directory that is not a PostgreSQL cluster
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) Files.delete(p);
      }
    }
  }
}
