package dev.podflow.launcher;

import dev.podflow.api.ApiSettings;
import dev.podflow.api.auth.JwtSettings;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.notifier.NotifierSettings;
import dev.podflow.notifier.email.EmailSettings;
import dev.podflow.notifier.fcm.FcmSettings;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.secret.SecretCipher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads Podflow's environment variables; the only place that does. Bad values fail with the fix.
 */
final class Settings {
  static final int DEFAULT_HTTP_PORT = 8080;
  static final int DEFAULT_METRICS_PORT = 8081;
  static final Duration DEFAULT_DB_WAIT = Duration.ofSeconds(60);

  /** Relative to the working directory, which {@code ./podflow} makes the project's root. */
  static final Path DEFAULT_DATA_DIR = Path.of(".podflow", "data");

  private final Environment env;

  Settings(Map<String, String> env) {
    this.env = new Environment(env);
  }

  /**
   * Every variable, for the settings that plug-ins read themselves (e.g. {@code PODFLOW_LLM_*}).
   */
  Map<String, String> environment() {
    return env.variables();
  }

  /** {@code DATABASE_URL}, or null when unset (the demo then embeds PostgreSQL). */
  DatabaseConfig databaseOrNull() {
    String url = env.variables().get("DATABASE_URL");
    if (url == null || url.isBlank()) return null;
    DatabaseConfig config = DatabaseConfig.fromUrl(url);
    String direct = env.variables().get("PODFLOW_DIRECT_DATABASE_URL");
    if (direct != null && !direct.isBlank()) {
      // DATABASE_URL is then a transaction pooler (PgBouncer) for the pods' pools; sessions
      // (LISTEN, migrations, the API's tenant, the notifier) go straight to PostgreSQL.
      config = config.behindPooler(DatabaseConfig.fromUrl(direct, "PODFLOW_DIRECT_DATABASE_URL"));
    }
    return config.withPool(
        env.integer("PODFLOW_DB_POOL_SIZE", DatabaseConfig.DEFAULT_MAX_POOL_SIZE, 1, 500),
        "podflow");
  }

  /** {@code PODFLOW_DATA_DIR}: where the demo's embedded PostgreSQL keeps its data. */
  Path dataDir() {
    String dir = env.text("PODFLOW_DATA_DIR");
    return dir == null ? DEFAULT_DATA_DIR : Path.of(dir);
  }

  /** {@code DATABASE_URL}, which {@code migrate}, {@code api} and {@code pod} need. */
  DatabaseConfig database() {
    return database("or run './podflow demo', which embeds PostgreSQL");
  }

  /**
   * {@code DATABASE_URL}, for a command that cannot run without it.
   *
   * @param instead what to do instead of setting it, or why there is nothing else, for the message
   *     when it is unset
   */
  DatabaseConfig database(String instead) {
    DatabaseConfig config = databaseOrNull();
    if (config == null) {
      throw new InvalidConfigurationException(
          "DATABASE_URL is not set: export DATABASE_URL=postgres://user:password@host:5432/database"
              + " ("
              + instead
              + ")");
    }
    return config;
  }

  /** How long api and pod wait at start for a database that does not answer yet. */
  Duration databaseWait() {
    return env.seconds("PODFLOW_DB_WAIT_SECONDS", DEFAULT_DB_WAIT, 0, 3600);
  }

  int httpPort() {
    return env.integer("PODFLOW_HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535);
  }

  /**
   * {@code PODFLOW_JWT_*}: how the API checks JWTs, or empty when neither a secret nor a JWKS URL
   * is set (API keys only).
   */
  Optional<JwtSettings> jwt() {
    return JwtSettings.fromEnvironment(env.variables());
  }

  /**
   * The API's settings: {@code PODFLOW_HTTP_PORT}, {@code PODFLOW_JWT_*}, {@code
   * PODFLOW_CORS_ORIGINS} (exact origins; a wildcard or a malformed one stops the process) and
   * {@code PODFLOW_API_METRICS_PORT} (unset: {@code /metrics} on the API's port); what tenants' MCP
   * servers must pass ({@code PODFLOW_MCP_STDIO_COMMANDS}, {@code PODFLOW_OUTBOUND_ALLOW}, {@code
   * PODFLOW_MCP_CONFIG}), the key of their secrets ({@code PODFLOW_SECRETS_KEY}) and the model
   * memory searches embed with ({@code PODFLOW_EMBEDDING_*}, the pods' setting: an endpoint is
   * asked once here, so a wrong one stops the API at start).
   */
  ApiSettings api() {
    String metricsPort = env.text("PODFLOW_API_METRICS_PORT");
    return ApiSettings.onPort(httpPort())
        .withJwt(jwt())
        .withCorsOrigins(ApiSettings.corsOriginsFrom(env.text(ApiSettings.CORS_ORIGINS_VARIABLE)))
        .withMetricsPort(
            metricsPort == null
                ? OptionalInt.empty()
                : OptionalInt.of(env.integer("PODFLOW_API_METRICS_PORT", 0, 0, 65535)))
        .withMcpAdmission(McpAdmission.fromEnvironment(env))
        .withSecrets(SecretCipher.fromEnvironment(env.variables()))
        .withQueryEmbedder(Embedders.fromEnvironment(env.variables()));
  }

  int metricsPort() {
    return env.integer("PODFLOW_METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535);
  }

  PodConfig pod() {
    String podId = env.variables().getOrDefault("PODFLOW_POD_ID", defaultProcessId());
    return PodConfig.defaults(podId)
        .withSettings(env.variables())
        .withOrchestrators(podOrchestrators())
        .withSlots(env.integer("PODFLOW_POD_SLOTS", PodConfig.DEFAULT_SLOTS, 1, 256))
        .withLease(env.seconds("PODFLOW_LEASE_SECONDS", PodConfig.DEFAULT_LEASE, 1, 3600))
        .withPollInterval(
            Duration.ofMillis(
                env.integer(
                    "PODFLOW_POLL_MS",
                    (int) PodConfig.DEFAULT_POLL_INTERVAL.toMillis(),
                    10,
                    600_000)))
        .withRescueInterval(
            env.seconds("PODFLOW_RESCUE_SECONDS", PodConfig.DEFAULT_RESCUE_INTERVAL, 1, 3600))
        .withShutdownGrace(
            env.seconds(
                "PODFLOW_SHUTDOWN_GRACE_SECONDS", PodConfig.DEFAULT_SHUTDOWN_GRACE, 0, 3600))
        .withRetention(
            Duration.ofDays(
                env.integer(
                    "PODFLOW_RETENTION_DAYS", (int) PodConfig.DEFAULT_RETENTION.toDays(), 0, 3650)))
        .withQueueVacuumDeadRows(
            env.integer(
                "PODFLOW_QUEUE_VACUUM_DEAD_ROWS",
                (int) PodConfig.DEFAULT_QUEUE_VACUUM_DEAD_ROWS,
                0,
                1_000_000_000));
  }

  /** The notifier's {@code PODFLOW_NOTIFIER_*} settings (see {@link NotifierSettings}). */
  NotifierSettings notifier() {
    return NotifierSettings.fromEnvironment(env, defaultProcessId());
  }

  /**
   * {@code PODFLOW_FCM_*} and {@code GOOGLE_APPLICATION_CREDENTIALS}: how the notifier reaches FCM,
   * or empty when none is set.
   */
  Optional<FcmSettings> fcm() {
    return FcmSettings.fromEnvironment(env);
  }

  /** {@code PODFLOW_SMTP_URL} and {@code PODFLOW_SMTP_FROM}: the notifier's email, if set. */
  Optional<EmailSettings> email() {
    return EmailSettings.fromEnvironment(env);
  }

  /**
   * {@code PODFLOW_POD_ORCHESTRATORS}: the orchestrators whose tasks the pod claims,
   * comma-separated; unset or blank for all the pod has. The pod refuses names it does not have
   * when it is built.
   */
  private Set<String> podOrchestrators() {
    String names = env.text("PODFLOW_POD_ORCHESTRATORS");
    if (names == null) return Set.of();
    Set<String> chosen = new TreeSet<>();
    for (String name : names.split(",")) {
      if (!name.isBlank()) chosen.add(name.trim());
    }
    return chosen;
  }

  /** The host's name and this process's id: a pod's or notifier's id unless set. */
  private static String defaultProcessId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "pod";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
