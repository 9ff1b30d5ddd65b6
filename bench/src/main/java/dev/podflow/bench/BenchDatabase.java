package dev.podflow.bench;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The server the benchmark runs on and the fresh database each scenario gets on it: dropped and
 * created again, so no scenario sees another's rows, bloat or statistics.
 */
final class BenchDatabase {
  private final DatabaseConfig server;
  private final String name;
  private boolean warnedCheckpoint;

  /**
   * @param server a database on the server to connect to for CREATE/DROP DATABASE
   * @param name the database each scenario gets afresh
   */
  BenchDatabase(DatabaseConfig server, String name) {
    this.server = server;
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Drops and creates the bench database, with pgvector when the server has it. */
  DatabaseConfig fresh() {
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + name + " on " + server + ": " + e.getMessage(), e);
    }
    DatabaseConfig config = config(4, "podflow-bench");
    try (Connection c = connect(config);
        Statement st = c.createStatement()) {
      st.execute("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (SQLException e) {
      // Only the memory scenario uses it; it finds the HNSW index missing and says so.
    }
    return config;
  }

  /** A fresh database with Podflow's migrations applied. */
  DatabaseConfig freshMigrated() {
    DatabaseConfig config = fresh();
    try (Database db = Database.connect(config.withPool(2, "podflow-bench-migrate"))) {
      db.migrate();
    }
    return config;
  }

  /**
   * A fresh migrated database without pgvector even where the server has it: the extension is
   * dropped after migrating, its HNSW indexes with it, so memory recall searches exactly, as on the
   * embedded PostgreSQL.
   */
  DatabaseConfig freshMigratedWithoutPgvector() {
    DatabaseConfig config = freshMigrated();
    try (Connection c = connect(config);
        Statement st = c.createStatement()) {
      st.execute("DROP EXTENSION IF EXISTS vector CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot drop pgvector from " + name + ": " + e.getMessage(), e);
    }
    return config;
  }

  /**
   * Checkpoints the server, so the measured run that follows does not pay for a checkpoint halfway
   * (its flush and the full-page writes after it made two runs of one build differ by up to 2x).
   * Needs superuser or pg_checkpoint; without them the run goes on and may be noisier.
   */
  void checkpoint() {
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("CHECKPOINT");
    } catch (SQLException e) {
      if (!warnedCheckpoint) {
        System.err.println("bench: cannot CHECKPOINT (" + e.getMessage() + "); runs may vary more");
        warnedCheckpoint = true;
      }
    }
  }

  void drop() {
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("bench: could not drop " + name + ": " + e.getMessage());
    }
  }

  /** The bench database, with a pool of {@code poolSize}. */
  DatabaseConfig config(int poolSize, String poolName) {
    String base = server.jdbcUrl();
    int slash = base.indexOf('/', "jdbc:postgresql://".length());
    int query = base.indexOf('?', slash);
    String url = base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    return new DatabaseConfig(url, server.user(), server.password(), poolSize, poolName);
  }

  /** The bench database as a {@code postgres://} URL, for DATABASE_URL and libpq tools. */
  String libpqUrl() {
    DatabaseConfig c = config(1, "x");
    String hostAndDb = c.jdbcUrl().substring("jdbc:postgresql://".length());
    int q = hostAndDb.indexOf('?');
    if (q >= 0) hostAndDb = hostAndDb.substring(0, q);
    String credentials = "";
    if (c.user() != null) {
      credentials = enc(c.user()) + (c.password() == null ? "" : ":" + enc(c.password())) + "@";
    }
    return "postgresql://" + credentials + hostAndDb;
  }

  static Connection connect(DatabaseConfig config) throws SQLException {
    Properties props = new Properties();
    if (config.user() != null) props.setProperty("user", config.user());
    if (config.password() != null) props.setProperty("password", config.password());
    return DriverManager.getConnection(config.jdbcUrl(), props);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
