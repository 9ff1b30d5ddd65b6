package dev.podflow.api;

import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Authenticator;
import dev.podflow.api.auth.JwtSettings;
import dev.podflow.api.auth.JwtVerifier;
import dev.podflow.api.auth.KnownUsers;
import dev.podflow.api.auth.StreamTokens;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.PoolMetrics;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.auth.ApiKeys;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution API: an HTTP server (Javalin) that publishes and lists definitions, starts, lists,
 * reads, cancels and retries process instances and streams their events, lists tasks waiting for
 * people and takes their answers and feedback, manages a tenant's MCP servers, secrets, agents'
 * memories and documents, its users' profiles and devices and serves their notifications, serves
 * the same work to MCP clients at {@code /mcp} ({@link McpEndpoint}) and the web console's files at
 * {@code /} ({@link Console}), plus the two background services it owns, the {@link EventFeed}
 * ({@code LISTEN podflow_events, podflow_notifications}) and the {@link QueueDepthGauge}.
 *
 * <p>Start it with {@link #start}, stop it with {@link #close}. It neither migrates nor closes the
 * {@link Database} it is given (used for readiness); it opens pools of its own from its
 * configuration, one per {@link DatabaseRole} it acts as, and closes them. Thread-safe.
 */
public final class ExecutionApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionApi.class);

  /** How long close() lets open event streams end before the server stops under them. */
  static final Duration STREAM_DRAIN_TIMEOUT = Duration.ofSeconds(3);

  private final Javalin app;
  private final EventFeed feed;
  private final EventStream streams;
  private final QueueDepthGauge queueDepth;
  private final McpEndpoint mcp;

  /** The server of {@code /metrics} alone, when it has a port of its own. */
  private final Javalin metrics;

  /** The pools the API opened, one per database role it acts as. */
  private final List<Database> pools;

  private ExecutionApi(
      Javalin app,
      EventFeed feed,
      EventStream streams,
      QueueDepthGauge queueDepth,
      McpEndpoint mcp,
      Javalin metrics,
      List<Database> pools) {
    this.app = app;
    this.mcp = mcp;
    this.feed = feed;
    this.streams = streams;
    this.queueDepth = queueDepth;
    this.metrics = metrics;
    this.pools = pools;
  }

  /**
   * Starts the HTTP server as {@code settings} say: its port, JWTs, CORS origins (none: no CORS
   * headers) and where {@code /metrics} is served (a port of its own, or the API's). Definitions
   * are checked with every orchestrator plug-in on the class path ({@link
   * OrchestratorRegistry#discover()}), which the API never starts. Every route but health,
   * readiness, metrics, the OpenAPI document and the console's files ({@link Console}) takes an API
   * key or, with JWTs configured, a JWT; the event and notification streams also a stream token
   * ({@link StreamTokenRoutes}).
   */
  public static ExecutionApi start(
      Database database, PrometheusMeterRegistry registry, ApiSettings settings) {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(settings, "settings");
    Optional<JwtSettings> jwt = settings.jwt();
    // Request handling acts as podflow_api, narrowed by row-level security to the tenant the
    // AuthGuard binds per request; the cross-tenant readers (event feed, queue-depth gauge, and
    // the key check, which runs before the tenant is known) act as the read-only podflow_metrics,
    // so a request pool's connection keeps its tenant from one request to the next. The caller's
    // pool (the login) serves readiness only. When DATABASE_URL is a transaction pooler the
    // requests go through it (its database entry sets the role, the tenant is set per
    // transaction) and the four readers straight to PostgreSQL, with the event feed's LISTEN.
    DatabaseConfig target = database.config();
    Database requests =
        Database.connect(
            target.withRole(DatabaseRole.API).withPool(target.maxPoolSize(), "podflow-api"));
    Database readers =
        Database.connect(
            target.session().withRole(DatabaseRole.METRICS).withPool(4, "podflow-api-readers"));
    try {
      requests.checkRole();
    } catch (RuntimeException e) {
      requests.close();
      readers.close();
      throw e;
    }
    PoolMetrics.bind(requests, registry);
    PoolMetrics.bind(readers, registry);
    Jdbi jdbi = requests.jdbi();
    OrchestratorRegistry orchestrators = OrchestratorRegistry.discover();
    DefinitionCatalog catalog = new DefinitionCatalog(jdbi, orchestrators);
    EventFeed feed = EventFeed.start(readers);
    QueueDepthGauge queueDepth =
        new QueueDepthGauge(readers.jdbi(), registry, orchestrators.sortedNames());
    DefinitionRoutes definitions = new DefinitionRoutes(catalog, jdbi);
    AgentRoutes agents = new AgentRoutes(jdbi);
    McpServerRoutes mcpServers = new McpServerRoutes(jdbi, settings.mcpAdmission());
    SecretRoutes secrets = new SecretRoutes(jdbi, settings.secrets());
    FeedbackRoutes feedback = new FeedbackRoutes(jdbi, catalog);
    MemoryRoutes memories = new MemoryRoutes(jdbi, settings.queryEmbedder());
    DocumentRoutes documents = new DocumentRoutes(jdbi);
    Engine engine = new Engine(jdbi, catalog, Notifier.inline(jdbi));
    ProcessRoutes processes = new ProcessRoutes(jdbi, engine.starter());
    ProcessCommandRoutes commands = new ProcessCommandRoutes(jdbi, engine.instances());
    TaskRoutes tasks = new TaskRoutes(jdbi, engine.suspensions(), catalog);
    PeerWebhookRoutes webhooks = new PeerWebhookRoutes(engine.suspensions());
    A2aServerRoutes a2aServer =
        new A2aServerRoutes(
            new A2aAgentCards(catalog),
            new A2aProcessTasks(
                processes, engine.instances(), tasks, jdbi, settings.mcpAdmission()));
    EventStream streams = new EventStream(jdbi, feed);
    EventRoutes events = new EventRoutes(jdbi, streams);
    UserRoutes users = new UserRoutes(jdbi);
    NotificationRoutes notifications = new NotificationRoutes(jdbi, streams);
    McpEndpoint mcp = new McpEndpoint(new PodflowMcpTools(definitions, processes, events, tasks));
    HealthRoutes health = new HealthRoutes(database, registry, settings.metricsPort().isEmpty());
    // Signed with the database's key, which only podflow_metrics (the readers) may read.
    StreamTokens streamTokens = StreamTokens.fromDatabase(readers.jdbi(), Clock.systemUTC());
    StreamTokenRoutes streamTokenRoutes = new StreamTokenRoutes(streamTokens);
    AuthGuard guard =
        new AuthGuard(
            new Authenticator(
                new ApiKeys(readers.jdbi(), Clock.systemUTC()), jwt.map(JwtVerifier::new)),
            streamTokens,
            new KnownUsers(jdbi));
    Javalin metrics = null;
    try {
      Javalin app =
          Javalin.create(
                  config -> {
                    config.startup.showJavalinBanner = false;
                    config.startup.showOldJavalinVersionWarning = false;
                    config.http.prefer405over404 = true;
                    config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
                    config.requestLogger.http(new RequestMetrics(registry));
                    Console.register(config);
                    Cors.register(config, settings.corsOrigins());
                    guard.register(config.routes);
                    streamTokenRoutes.register(config.routes);
                    definitions.register(config.routes);
                    agents.register(config.routes);
                    mcpServers.register(config.routes);
                    secrets.register(config.routes);
                    feedback.register(config.routes);
                    memories.register(config.routes);
                    documents.register(config.routes);
                    processes.register(config.routes);
                    commands.register(config.routes);
                    tasks.register(config.routes);
                    events.register(config.routes);
                    users.register(config.routes);
                    notifications.register(config.routes);
                    mcp.register(config.routes);
                    webhooks.register(config.routes);
                    a2aServer.register(config.routes);
                    health.register(config.routes);
                    OpenApiRoute.fromClassPath().register(config.routes);
                    QueryParams.register(config.routes);
                    Problems.register(config.routes);
                    JettyErrors.register(config);
                  })
              .start(settings.port());
      if (settings.metricsPort().isPresent()) {
        try {
          metrics = startMetrics(registry, settings.metricsPort().getAsInt());
        } catch (RuntimeException e) {
          app.stop();
          throw e;
        }
        LOG.info("execution-api - /metrics on port {}", metrics.port());
      }
      queueDepth.start(QueueDepthGauge.DEFAULT_INTERVAL);
      LOG.info("execution-api - listening on port {}", app.port());
      return new ExecutionApi(
          app, feed, streams, queueDepth, mcp, metrics, List.of(requests, readers));
    } catch (RuntimeException e) {
      mcp.stop();
      feed.close();
      queueDepth.close();
      requests.close();
      readers.close();
      throw e;
    }
  }

  /** A server of {@code GET /metrics} alone, for a port that is not the API's. */
  private static Javalin startMetrics(PrometheusMeterRegistry registry, int port) {
    return Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.routes.get("/metrics", ctx -> HealthRoutes.scrape(ctx, registry));
            })
        .start(port);
  }

  /** The port {@code /metrics} is served on when it has its own; the chosen one for 0. */
  public OptionalInt metricsPort() {
    return metrics == null ? OptionalInt.empty() : OptionalInt.of(metrics.port());
  }

  /** The port the server listens on; the chosen one when started with 0. */
  public int port() {
    return app.port();
  }

  /** Test hook: the gauge, so a test can refresh it instead of waiting for the interval. */
  QueueDepthGauge queueDepthGauge() {
    return queueDepth;
  }

  /** Test hook: every HTTP route, as its method and path pattern ({@code GET /api/v1/tasks}). */
  List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(handler -> handler.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .toList();
  }

  /** Test hook: the feed, so a test can see it listening and count subscribers. */
  EventFeed eventFeed() {
    return feed;
  }

  /** Stops the server and the event feed's LISTEN connection. */
  @Override
  public void close() {
    // The feed first: closing it ends every open event stream, and the streams are given time
    // to finish their responses, so clients see a clean end rather than a dropped connection.
    feed.close();
    try {
      if (!streams.awaitAllEnded(STREAM_DRAIN_TIMEOUT)) {
        LOG.warn(
            "execution-api - event streams still open after {}; stopping anyway",
            STREAM_DRAIN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.stop();
    mcp.stop();
    if (metrics != null) metrics.stop();
    queueDepth.close();
    pools.forEach(Database::close);
    LOG.info("execution-api - stopped");
  }
}
