package dev.podflow.testing;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL database with pgvector per test JVM, migrated once, emptied between tests.
 *
 * <p>The server is, in order: {@code TEST_DATABASE_URL}; the machine's own PostgreSQL on
 * 127.0.0.1:5432 (user {@code postgres}); a Testcontainers {@code pgvector/pgvector} container when
 * Docker runs. A fresh database is created on it (dropped when the JVM exits) so parallel test JVMs
 * never share rows.
 */
public final class TestDatabase {
  private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static TestDatabase shared;

  private final DatabaseConfig config;
  private final Database database;

  private TestDatabase(DatabaseConfig config) {
    this.config = config;
    this.database = Database.connect(config.withPool(20, "podflow-test"));
    database.migrate();
  }

  private TestDatabase(DatabaseConfig config, String version) {
    this.config = config;
    this.database = Database.connect(config.withPool(20, "podflow-test"));
    Flyway.configure()
        .dataSource(database.dataSource())
        .locations("classpath:db/migration")
        .target(version)
        .load()
        .migrate();
  }

  /**
   * A fresh database of its own (dropped when the JVM exits), migrated only up to {@code version}:
   * for upgrade tests, which fill it as an earlier Podflow would and then {@link Database#migrate()
   * migrate} it to the latest version. Close its {@link #database()} when done.
   */
  public static TestDatabase migratedUpTo(String version) {
    return new TestDatabase(createFreshDatabase(serverConfig()), version);
  }

  /** The JVM's test database, created and migrated on first use. */
  public static synchronized TestDatabase shared() {
    if (shared == null) {
      shared = new TestDatabase(createFreshDatabase(serverConfig()));
    }
    return shared;
  }

  public Database database() {
    return database;
  }

  /** Connection settings for the test database, for pods and APIs a test starts itself. */
  public DatabaseConfig config() {
    return config;
  }

  /** A {@code postgres://} URL of the test database, as {@code DATABASE_URL} takes it. */
  public String url() {
    String hostAndDb = config.jdbcUrl().substring("jdbc:postgresql://".length());
    String credentials =
        config.user() == null
            ? ""
            : config.user() + (config.password() == null ? "" : ":" + config.password()) + "@";
    return "postgres://" + credentials + hostAndDb;
  }

  /** The single number a query returns, e.g. a {@code count(*)}. */
  public long number(String sql) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  /** The single text a query returns. */
  public String text(String sql) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
  }

  /** An instance's status. */
  public String instanceStatus(java.util.UUID id) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT status FROM bpm_proc_inst WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  /**
   * {@code n} running instances of {@code definitionId} version 1 (published by the caller), each
   * with its first task (activity {@code a1}, orchestrator {@code noop}, input {@code {"n": i}})
   * due now: what {@code n} starts leave behind, their events aside, in one statement.
   */
  public void insertDueNoopTasks(String definitionId, int n) {
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    """
                    WITH inst AS (
                        INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, input)
                        SELECT gen_random_uuid(), ?, 1, jsonb_build_object('n', g)
                        FROM generate_series(1, ?) g
                        RETURNING id, tenant_id, input)
                    INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, input)
                    SELECT id, tenant_id, 'a1', 'noop', input FROM inst""",
                    definitionId,
                    n));
  }

  /** Empties every Podflow table (the schema and migrations stay). */
  public void truncateAll() {
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "TRUNCATE notifications, device_tokens, events, todolist, bpm_proc_inst, proc_def, maintenance_runs, agents, audit_log, mcp_servers, tenant_secrets, task_cleanups, a2a_push_configs, users, memories, task_feedback, documents RESTART IDENTITY CASCADE"));
  }

  private static DatabaseConfig serverConfig() {
    String fromEnv = System.getenv("TEST_DATABASE_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return DatabaseConfig.fromUrl(fromEnv);
    }
    DatabaseConfig local =
        new DatabaseConfig(
            LOCAL_URL + "?connectTimeout=3", "postgres", null, 4, "podflow-test-admin");
    if (canConnect(local)) {
      return local;
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("pgvector/pgvector:pg16");
      container.start();
      return new DatabaseConfig(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          4,
          "podflow-test-admin");
    }
    throw new IllegalStateException(
        "no PostgreSQL for the tests: set TEST_DATABASE_URL=postgres://user:pass@host:5432/db,"
            + " or run PostgreSQL on 127.0.0.1:5432 with user postgres (scripts/test.sh starts the"
            + " machine's cluster and installs pgvector), or start Docker for Testcontainers");
  }

  private static DatabaseConfig createFreshDatabase(DatabaseConfig server) {
    String name = "podflow_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create test database on " + server + ": " + e.getMessage(), e);
    }
    String base = server.jdbcUrl();
    int slash = base.indexOf('/', "jdbc:postgresql://".length());
    int query = base.indexOf('?', slash);
    String url = base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    DatabaseConfig fresh =
        new DatabaseConfig(url, server.user(), server.password(), 4, "podflow-test");
    try (Connection c = connect(fresh);
        Statement st = c.createStatement()) {
      st.execute("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "pgvector is not installed on "
              + server
              + " ("
              + e.getMessage()
              + "): run scripts/install-pgvector.sh as root,"
              + " or point TEST_DATABASE_URL at a server with the vector extension",
          e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(server, name)));
    return fresh;
  }

  private static void dropQuietly(DatabaseConfig server, String name) {
    if (shared != null) shared.database.close();
    try (Connection admin = connect(server);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println(
          "[podflow-test] could not drop test database " + name + ": " + e.getMessage());
    }
  }

  private static boolean canConnect(DatabaseConfig config) {
    try (Connection ignored = connect(config)) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static Connection connect(DatabaseConfig config) throws SQLException {
    Properties props = new Properties();
    if (config.user() != null) props.setProperty("user", config.user());
    if (config.password() != null) props.setProperty("password", config.password());
    return DriverManager.getConnection(config.jdbcUrl(), props);
  }
}
