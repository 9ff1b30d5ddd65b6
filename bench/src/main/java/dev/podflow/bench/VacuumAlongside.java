package dev.podflow.bench;

import dev.podflow.pod.PodConfig;
import dev.podflow.store.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives a system under test the upkeep Podflow's pods give {@code todolist} (the queue vacuum):
 * every 2 s, a VACUUM of one table once its dead rows reach {@link
 * PodConfig#DEFAULT_QUEUE_VACUUM_DEAD_ROWS}. This server runs without autovacuum, so without it a
 * queue table's dead index entries pile up where every claim's scan starts; the raw-SQL limit and a
 * peer run with it to show what Podflow's lead owes to that upkeep and what it does not.
 */
final class VacuumAlongside implements AutoCloseable {
  private final DatabaseConfig config;
  private final String table;
  private final Thread thread;
  private volatile boolean running = true;

  private VacuumAlongside(DatabaseConfig config, String table) {
    this.config = config;
    this.table = table;
    this.thread = Thread.ofPlatform().daemon().name("bench-vacuum-" + table).start(this::run);
  }

  /** Starts vacuuming {@code table} (a plain name from this harness) of the database. */
  static VacuumAlongside start(DatabaseConfig config, String table) {
    return new VacuumAlongside(config, table);
  }

  private void run() {
    try (Connection c = BenchDatabase.connect(config);
        PreparedStatement dead =
            c.prepareStatement(
                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = CAST(? AS regclass)");
        Statement vacuum = c.createStatement()) {
      dead.setString(1, table);
      while (running) {
        Thread.sleep(PodConfig.QUEUE_VACUUM_CHECK_INTERVAL.toMillis());
        long rows;
        try (ResultSet rs = dead.executeQuery()) {
          rows = rs.next() ? rs.getLong(1) : 0;
        }
        if (running && rows >= PodConfig.DEFAULT_QUEUE_VACUUM_DEAD_ROWS) {
          vacuum.execute("VACUUM (SKIP_LOCKED, INDEX_CLEANUP ON, TRUNCATE false) " + table);
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (SQLException e) {
      if (running) System.err.println("bench: vacuum of " + table + " stopped: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
