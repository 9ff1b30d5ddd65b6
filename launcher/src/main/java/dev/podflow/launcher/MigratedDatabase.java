package dev.podflow.launcher;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.PodflowException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the commands that work on {@code DATABASE_URL} without migrating it ({@code api}, {@code
 * pod}, {@code keys}): only {@code migrate} and the demo change the schema.
 */
final class MigratedDatabase {
  private static final Logger log = LoggerFactory.getLogger(MigratedDatabase.class);

  private MigratedDatabase() {}

  /**
   * Connects, waiting up to {@code patience} for a database that does not answer yet (a pod may
   * start during a restart; {@code keys} answers at once), and refuses to run on a schema older
   * than this build: that needs './podflow migrate' first. The check runs as the login (a role of
   * {@code config}'s may not read the migrations' history, or may not exist yet); the pool returned
   * acts as {@code config} says ({@link Database#checkRole()}: behind a pooler, the pooler sets
   * it).
   */
  static Database connect(DatabaseConfig config, Duration patience) {
    check(config, patience);
    Database database = Database.connect(config);
    try {
      database.checkRole();
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  private static void check(DatabaseConfig config, Duration patience) {
    Database database = Database.connect(config.withRole(null).withPool(2, config.poolName()));
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      int pending;
      try {
        pending = database.pendingMigrations();
      } catch (RuntimeException e) {
        if (System.nanoTime() < deadline) {
          log.warn("waiting for the database at {}: {}", config, rootMessage(e));
          pause(Duration.ofSeconds(1));
          continue;
        }
        database.close();
        String waited =
            patience.isZero()
                ? ""
                : " (waited " + patience.toSeconds() + " s, PODFLOW_DB_WAIT_SECONDS)";
        throw new PodflowException(
            "cannot reach the database at " + config + waited + ": " + rootMessage(e), e);
      }
      if (pending > 0) {
        database.close();
        throw new PodflowException(
            "the database at "
                + config
                + " lacks "
                + pending
                + " migration(s) of this build: run './podflow migrate' first");
      }
      database.close();
      return;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PodflowException("interrupted while waiting for the database");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return root.getMessage();
  }
}
