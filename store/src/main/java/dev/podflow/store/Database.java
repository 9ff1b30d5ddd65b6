package dev.podflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.podflow.store.a2a.DuePush;
import dev.podflow.store.a2a.DuePushMapper;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.access.SessionDao;
import dev.podflow.store.access.TenantSessionPlugin;
import dev.podflow.store.access.TenantTransactionPlugin;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentMapper;
import dev.podflow.store.audit.AuditEntry;
import dev.podflow.store.audit.AuditEntryMapper;
import dev.podflow.store.auth.ApiKey;
import dev.podflow.store.auth.ApiKeyMapper;
import dev.podflow.store.auth.StoredApiKey;
import dev.podflow.store.cleanup.TaskCleanup;
import dev.podflow.store.cleanup.TaskCleanupMapper;
import dev.podflow.store.definition.DefinitionSummary;
import dev.podflow.store.definition.DefinitionSummaryMapper;
import dev.podflow.store.definition.StoredDefinition;
import dev.podflow.store.definition.StoredDefinitionMapper;
import dev.podflow.store.event.Event;
import dev.podflow.store.event.EventMapper;
import dev.podflow.store.instance.InstanceSummary;
import dev.podflow.store.instance.InstanceSummaryMapper;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.instance.ProcessInstanceMapper;
import dev.podflow.store.maintenance.MaintenanceDao.QueueGarbage;
import dev.podflow.store.maintenance.QueueGarbageMapper;
import dev.podflow.store.mcp.McpServer;
import dev.podflow.store.mcp.McpServerMapper;
import dev.podflow.store.memory.Document;
import dev.podflow.store.memory.DocumentMapper;
import dev.podflow.store.memory.DocumentToEmbed;
import dev.podflow.store.memory.DocumentToEmbedMapper;
import dev.podflow.store.memory.Memory;
import dev.podflow.store.memory.MemoryMapper;
import dev.podflow.store.memory.MemoryToEmbed;
import dev.podflow.store.memory.MemoryToEmbedMapper;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledChunkMapper;
import dev.podflow.store.memory.RecalledMemory;
import dev.podflow.store.memory.RecalledMemoryMapper;
import dev.podflow.store.secret.SecretSummary;
import dev.podflow.store.secret.SecretSummaryMapper;
import dev.podflow.store.task.CancelledTask;
import dev.podflow.store.task.CancelledTaskMapper;
import dev.podflow.store.task.QueueDepth;
import dev.podflow.store.task.QueueDepthMapper;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.SqlObjects;
import org.jdbi.v3.sqlobject.locator.SqlObjectClasspathSqlLocator;
import org.postgresql.util.PGobject;

/**
 * A connection pool and the {@link Jdbi} on top of it. Thread-safe; close it once at shutdown.
 *
 * <p>JSON columns are exchanged as Jackson {@link JsonNode}s, bound as {@code jsonb}.
 */
public final class Database implements AutoCloseable {
  private final DatabaseConfig config;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private final Jdbi ownerJdbi;

  private Database(DatabaseConfig config, HikariDataSource dataSource) {
    this.config = config;
    this.dataSource = dataSource;
    this.jdbi = configure(Jdbi.create(dataSource), config.role(), config.pooled());
    // Behind a transaction pooler, consecutive statements may reach different server sessions:
    // switching roles for the owner's work needs a session of its own, straight to PostgreSQL.
    this.ownerJdbi =
        config.pooled()
            ? configure(
                Jdbi.create(() -> openSession(config.poolName() + "-owner", null)), null, false)
            : jdbi;
  }

  private static Jdbi configure(Jdbi jdbi, DatabaseRole role, boolean pooled) {
    jdbi.installPlugin(new SqlObjectPlugin());
    // Every DAO's SQL lives in a .sql file next to it (TaskDao/taskRelease.sql, …). One locator
    // for the whole Jdbi, so each file is read and parsed once: @UseClasspathSqlLocator on the DAOs
    // made a locator with an empty cache on every attach, and parsing every statement of a DAO
    // each time was most of a pod's CPU (profiled: ~9 ms per task).
    jdbi.getConfig(SqlObjects.class).setSqlLocator(new SqlObjectClasspathSqlLocator());
    jdbi.installPlugin(new PostgresPlugin());
    jdbi.registerArgument(new JsonbArgumentFactory());
    jdbi.registerArgument(new VectorArgumentFactory());
    registerRowMappers(jdbi);
    if (role == DatabaseRole.API) {
      // Behind a transaction pooler a session setting would outlive the transaction that set it.
      jdbi.installPlugin(pooled ? new TenantTransactionPlugin() : new TenantSessionPlugin());
    }
    jdbi.registerColumnMapper(
        JsonNode.class,
        (rs, column, ctx) -> {
          String text = rs.getString(column);
          return text == null ? null : Json.parse(text);
        });
    return jdbi;
  }

  /**
   * The one row mapper of each record the store reads, written by hand: jdbi's reflective
   * constructor mapper is specialized anew for every result set, which cost real CPU on the hot
   * path. {@link HotSql} calls the same mappers on its plain result sets.
   */
  private static void registerRowMappers(Jdbi jdbi) {
    jdbi.registerRowMapper(Task.class, TaskMapper.INSTANCE);
    jdbi.registerRowMapper(CancelledTask.class, CancelledTaskMapper.INSTANCE);
    jdbi.registerRowMapper(TaskCleanup.class, TaskCleanupMapper.INSTANCE);
    jdbi.registerRowMapper(DuePush.class, DuePushMapper.INSTANCE);
    jdbi.registerRowMapper(QueueDepth.class, QueueDepthMapper.INSTANCE);
    jdbi.registerRowMapper(ProcessInstance.class, ProcessInstanceMapper.INSTANCE);
    jdbi.registerRowMapper(InstanceSummary.class, InstanceSummaryMapper.INSTANCE);
    jdbi.registerRowMapper(Event.class, EventMapper.INSTANCE);
    jdbi.registerRowMapper(StoredDefinition.class, StoredDefinitionMapper.INSTANCE);
    jdbi.registerRowMapper(DefinitionSummary.class, DefinitionSummaryMapper.INSTANCE);
    jdbi.registerRowMapper(Agent.class, AgentMapper.INSTANCE);
    jdbi.registerRowMapper(QueueGarbage.class, QueueGarbageMapper.INSTANCE);
    jdbi.registerRowMapper(ApiKey.class, ApiKeyMapper.INSTANCE);
    jdbi.registerRowMapper(StoredApiKey.class, ApiKeyMapper.WITH_HASH);
    jdbi.registerRowMapper(AuditEntry.class, AuditEntryMapper.INSTANCE);
    jdbi.registerRowMapper(McpServer.class, McpServerMapper.INSTANCE);
    jdbi.registerRowMapper(SecretSummary.class, SecretSummaryMapper.INSTANCE);
    jdbi.registerRowMapper(MemoryToEmbed.class, MemoryToEmbedMapper.INSTANCE);
    jdbi.registerRowMapper(RecalledMemory.class, RecalledMemoryMapper.INSTANCE);
    jdbi.registerRowMapper(Memory.class, MemoryMapper.INSTANCE);
    jdbi.registerRowMapper(Document.class, DocumentMapper.INSTANCE);
    jdbi.registerRowMapper(DocumentToEmbed.class, DocumentToEmbedMapper.INSTANCE);
    jdbi.registerRowMapper(RecalledChunk.class, RecalledChunkMapper.INSTANCE);
  }

  /**
   * Opens a pool. It does not wait for the database: the first query will, and a database that is
   * down makes queries fail until it is back, rather than making start-up fail.
   */
  public static Database connect(DatabaseConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) hikari.setUsername(config.user());
    if (config.password() != null) hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.maxPoolSize());
    hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hikari.setPoolName(config.poolName());
    hikari.setConnectionTimeout(10_000);
    hikari.setInitializationFailTimeout(-1);
    hikari.addDataSourceProperty("ApplicationName", config.poolName());
    if (config.pooled()) {
      // A transaction pooler hands each transaction to any server session, where a statement
      // pgjdbc prepared on another does not exist (PgBouncer 1.18 keeps no prepared statements).
      // Nor does it pass start-up options: the role comes from the pooler (see checkRole).
      hikari.addDataSourceProperty("prepareThreshold", "0");
    } else {
      startupOptions(config).ifPresent(option -> hikari.addDataSourceProperty("options", option));
    }
    return new Database(config, new HikariDataSource(hikari));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseConfig config() {
    return config;
  }

  /**
   * Applies the migrations packaged in {@code podflow-migrations}, then makes sure memory search
   * has pgvector and its HNSW indexes where the server offers pgvector ({@code vectorIndexes.sql}:
   * also for a database migrated before pgvector was installed); safe to run from many processes at
   * once. How many migrations ran.
   */
  public int migrate() {
    int executed = flyway().migrate().migrationsExecuted;
    try (Connection c =
            config.pooled() ? openSession("podflow-migrate", null) : dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(VECTOR_INDEXES);
    } catch (SQLException e) {
      throw new IllegalStateException("creating the memory search's indexes failed: " + e, e);
    }
    return executed;
  }

  /** Migrations packaged with this build that the database has not applied yet. */
  public int pendingMigrations() {
    return flyway().info().pending().length;
  }

  /**
   * Flyway holds a session advisory lock while it migrates, so behind a transaction pooler it works
   * straight on PostgreSQL, as the login.
   */
  private Flyway flyway() {
    var flyway = Flyway.configure().locations("classpath:db/migration");
    DatabaseConfig direct = config.direct();
    if (direct == null) return flyway.dataSource(dataSource).load();
    return flyway.dataSource(direct.jdbcUrl(), direct.user(), direct.password()).load();
  }

  /**
   * Behind a pooler the pool's role is not a start-up option, which PgBouncer 1.18 refuses: the
   * pooler must set it (a {@code connect_query} of {@code SET ROLE}). Fails, naming that, when a
   * pooled connection acts as another role than the pool's.
   */
  public void checkRole() {
    if (!config.pooled() || config.role() == null) return;
    String current =
        jdbi.withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class).one());
    if (!config.role().sqlName().equals(current)) {
      throw new InvalidConfigurationException(
          "connections through the pooler act as "
              + current
              + ", not "
              + config.role().sqlName()
              + ": give its database entry connect_query='SET ROLE "
              + config.role().sqlName()
              + "' (PgBouncer passes no role from the client)");
    }
  }

  /**
   * Opens a connection outside the pool, for {@code LISTEN}: a listening session must stay open and
   * must not be handed to other work.
   */
  public Connection openDedicatedConnection(String applicationName) throws SQLException {
    return openSession(applicationName, config.role());
  }

  /** A connection straight to PostgreSQL (past any pooler) acting as {@code role} (null: login). */
  private Connection openSession(String applicationName, DatabaseRole role) throws SQLException {
    DatabaseConfig target = config.session().withRole(role);
    Properties props = new Properties();
    if (target.user() != null) props.setProperty("user", target.user());
    if (target.password() != null) props.setProperty("password", target.password());
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("tcpKeepAlive", "true");
    startupOptions(target).ifPresent(option -> props.setProperty("options", option));
    return DriverManager.getConnection(target.jdbcUrl(), props);
  }

  /**
   * True when a pooled connection answers JDBC's validity check (an empty statement, a round trip)
   * within {@code timeout}. The pool may wait its whole connection timeout (10 s) for a dead
   * server, longer than a probe waits, so the check goes on in the background and the caller gets
   * its answer in time.
   */
  public boolean isReachable(Duration timeout) {
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    CompletableFuture<Boolean> check =
        CompletableFuture.supplyAsync(
            () -> answers(seconds),
            task -> Thread.ofVirtual().name("podflow-db-reachable").start(task));
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean answers(int timeoutSeconds) {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(timeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * The connection's start-up options ({@code -c …}), sent only straight to PostgreSQL (PgBouncer
   * 1.18 refuses them). The role ({@code -c role=…}): the connection acts as it from its first
   * statement, with no statement of its own on any path, and {@code RESET ROLE} returns to it, not
   * to the login.
   *
   * <p>A pod's sessions also plan every prepared statement generically, once. Its hot statements
   * take arrays (the tasks of a completion batch, the leases to renew), and for a short array
   * PostgreSQL judges a custom plan cheaper than the generic one and plans the statement anew on
   * each run: measured in the 16-pod queue drain, where batches are small, the completion was
   * planned again on more than half of its runs, about 65 µs of the server's CPU per task. The
   * generic plans are the same index lookups (CompletionPlanTest). Behind a pooler pgjdbc prepares
   * nothing, so there is no plan to keep.
   */
  private static Optional<String> startupOptions(DatabaseConfig config) {
    DatabaseRole role = config.role();
    if (role == null) return Optional.empty();
    String options = "-c role=" + role.sqlName();
    if (role == DatabaseRole.POD) options += " -c plan_cache_mode=force_generic_plan";
    return Optional.of(options);
  }

  /**
   * Runs {@code work} on a pooled connection acting as the login, the tables' owner, for what only
   * the owner may do (the queue's VACUUM); the connection takes the pool's role back afterwards.
   * Behind a pooler it runs on a connection of its own, straight to PostgreSQL.
   */
  public <T> T asOwner(HandleCallback<T, RuntimeException> work) {
    if (config.pooled()) return ownerJdbi.withHandle(work);
    return jdbi.withHandle(
        handle -> {
          if (config.role() == null) return work.withHandle(handle);
          SessionDao session = handle.attach(SessionDao.class);
          session.sessionResetRole();
          try {
            return work.withHandle(handle);
          } finally {
            session.sessionSetRole(config.role().sqlName());
          }
        });
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static final String VECTOR_INDEXES = resource("vectorIndexes.sql");

  private static String resource(String name) {
    try (InputStream in = Database.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the build");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class JsonbArgumentFactory extends AbstractArgumentFactory<JsonNode> {
    JsonbArgumentFactory() {
      super(Types.OTHER);
    }

    @Override
    protected Argument build(JsonNode value, ConfigRegistry config) {
      return (position, statement, ctx) -> {
        PGobject jsonb = new PGobject();
        jsonb.setType("jsonb");
        jsonb.setValue(Json.write(value));
        statement.setObject(position, jsonb);
      };
    }
  }

  /**
   * Binds pgvector's {@link PGvector} (a {@code PGobject} of type {@code vector}) as itself; only
   * the searches that run where pgvector is installed take one.
   */
  private static final class VectorArgumentFactory extends AbstractArgumentFactory<PGvector> {
    VectorArgumentFactory() {
      super(Types.OTHER);
    }

    @Override
    protected Argument build(PGvector value, ConfigRegistry config) {
      return (position, statement, ctx) -> statement.setObject(position, value);
    }
  }
}
