package dev.podflow.launcher;

import dev.podflow.agents.LlmConfig;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Podflow's environment variables; the only place that does. Bad values fail with the fix.
 */
final class Settings {
  static final int DEFAULT_HTTP_PORT = 8080;
  static final int DEFAULT_METRICS_PORT = 8081;
  static final Duration DEFAULT_DB_WAIT = Duration.ofSeconds(60);

  /** Relative to the working directory, which {@code ./podflow} makes the project's root. */
  static final Path DEFAULT_DATA_DIR = Path.of(".podflow", "data");

  private final Map<String, String> env;

  Settings(Map<String, String> env) {
    this.env = env;
  }

  /** {@code DATABASE_URL}, or null when unset (the demo then embeds PostgreSQL). */
  DatabaseConfig databaseOrNull() {
    String url = env.get("DATABASE_URL");
    if (url == null || url.isBlank()) return null;
    DatabaseConfig config = DatabaseConfig.fromUrl(url);
    return config.withPool(
        integer("PODFLOW_DB_POOL_SIZE", DatabaseConfig.DEFAULT_MAX_POOL_SIZE, 1, 500), "podflow");
  }

  /** {@code PODFLOW_DATA_DIR}: where the demo's embedded PostgreSQL keeps its data. */
  Path dataDir() {
    String dir = text("PODFLOW_DATA_DIR");
    return dir == null ? DEFAULT_DATA_DIR : Path.of(dir);
  }

  DatabaseConfig database() {
    DatabaseConfig config = databaseOrNull();
    if (config == null) {
      throw new InvalidConfigurationException(
          "DATABASE_URL is not set: export DATABASE_URL=postgres://user:password@host:5432/database"
              + " (or run './podflow demo', which embeds PostgreSQL)");
    }
    return config;
  }

  /** How long api and pod wait at start for a database that does not answer yet. */
  Duration databaseWait() {
    return seconds("PODFLOW_DB_WAIT_SECONDS", DEFAULT_DB_WAIT, 0, 3600);
  }

  /**
   * The LLM endpoint. {@code PODFLOW_LLM_PROVIDER} is {@code openai} (the default) or {@code
   * ollama}.
   *
   * <ul>
   *   <li>{@code openai}: {@code PODFLOW_LLM_BASE_URL} (default OpenAI's when only a key is set),
   *       {@code PODFLOW_LLM_API_KEY} or {@code OPENAI_API_KEY}, {@code PODFLOW_LLM_MODEL} (default
   *       {@code gpt-4o-mini}); offline when neither a URL nor a key is set and the provider was
   *       not named explicitly.
   *   <li>{@code ollama}: {@code PODFLOW_LLM_BASE_URL} (default {@code http://localhost:11434/v1},
   *       must end in {@code /v1}), no key needed ({@code PODFLOW_LLM_API_KEY} is sent if set;
   *       {@code OPENAI_API_KEY} never is), {@code PODFLOW_LLM_MODEL} (default {@code llama3.2}).
   * </ul>
   *
   * <p>Both: {@code PODFLOW_LLM_MAX_RETRIES}, {@code PODFLOW_LLM_TIMEOUT_SECONDS}.
   */
  LlmConfig llm() {
    String provider = text("PODFLOW_LLM_PROVIDER");
    String baseUrl = text("PODFLOW_LLM_BASE_URL");
    String model = text("PODFLOW_LLM_MODEL");
    String apiKey = text("PODFLOW_LLM_API_KEY");
    switch (provider == null ? "openai" : provider.toLowerCase(Locale.ROOT)) {
      case "openai" -> {
        if (apiKey == null) apiKey = text("OPENAI_API_KEY");
        if (baseUrl == null && apiKey == null) {
          if (provider == null) return LlmConfig.offline();
          throw new InvalidConfigurationException(
              "PODFLOW_LLM_PROVIDER=openai needs an API key: export PODFLOW_LLM_API_KEY=sk-… (or"
                  + " OPENAI_API_KEY), or PODFLOW_LLM_BASE_URL for another OpenAI-compatible"
                  + " endpoint; unset PODFLOW_LLM_PROVIDER to run the offline model instead");
        }
        if (baseUrl == null) baseUrl = LlmConfig.DEFAULT_OPENAI_BASE_URL;
        if (model == null) model = LlmConfig.DEFAULT_MODEL;
      }
      case "ollama" -> {
        if (baseUrl == null) baseUrl = LlmConfig.DEFAULT_OLLAMA_BASE_URL;
        if (model == null) model = LlmConfig.DEFAULT_OLLAMA_MODEL;
        if (!withoutTrailingSlash(baseUrl).endsWith("/v1")) {
          throw new InvalidConfigurationException(
              "PODFLOW_LLM_BASE_URL must be Ollama's OpenAI-compatible API, which ends in /v1"
                  + " (e.g. "
                  + LlmConfig.DEFAULT_OLLAMA_BASE_URL
                  + ") when PODFLOW_LLM_PROVIDER=ollama, got '"
                  + baseUrl
                  + "'");
        }
      }
      default ->
          throw new InvalidConfigurationException(
              "PODFLOW_LLM_PROVIDER must be 'openai' (the default: OpenAI, or any"
                  + " OpenAI-compatible endpoint in PODFLOW_LLM_BASE_URL) or 'ollama' (a local"
                  + " Ollama at "
                  + LlmConfig.DEFAULT_OLLAMA_BASE_URL
                  + "), got '"
                  + provider
                  + "'");
    }
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new InvalidConfigurationException(
          "PODFLOW_LLM_BASE_URL must be an http:// or https:// URL such as"
              + " https://api.openai.com/v1 or http://localhost:11434/v1, got '"
              + baseUrl
              + "'");
    }
    return new LlmConfig(
        withoutTrailingSlash(baseUrl),
        apiKey,
        model,
        integer("PODFLOW_LLM_MAX_RETRIES", LlmConfig.DEFAULT_MAX_RETRIES, 0, 20),
        LlmConfig.DEFAULT_INITIAL_BACKOFF,
        seconds("PODFLOW_LLM_TIMEOUT_SECONDS", LlmConfig.DEFAULT_TIMEOUT, 1, 600));
  }

  private static String withoutTrailingSlash(String url) {
    String trimmed = url;
    while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
    return trimmed;
  }

  private String text(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  int httpPort() {
    return integer("PODFLOW_HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535);
  }

  int metricsPort() {
    return integer("PODFLOW_METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535);
  }

  PodConfig pod() {
    String podId = env.getOrDefault("PODFLOW_POD_ID", defaultPodId());
    return PodConfig.defaults(podId)
        .withSlots(integer("PODFLOW_POD_SLOTS", PodConfig.DEFAULT_SLOTS, 1, 256))
        .withLease(seconds("PODFLOW_LEASE_SECONDS", PodConfig.DEFAULT_LEASE, 1, 3600))
        .withPollInterval(
            Duration.ofMillis(
                integer(
                    "PODFLOW_POLL_MS",
                    (int) PodConfig.DEFAULT_POLL_INTERVAL.toMillis(),
                    10,
                    600_000)))
        .withRescueInterval(
            seconds("PODFLOW_RESCUE_SECONDS", PodConfig.DEFAULT_RESCUE_INTERVAL, 1, 3600))
        .withShutdownGrace(
            seconds("PODFLOW_SHUTDOWN_GRACE_SECONDS", PodConfig.DEFAULT_SHUTDOWN_GRACE, 0, 3600))
        .withRetention(
            Duration.ofDays(
                integer(
                    "PODFLOW_RETENTION_DAYS", (int) PodConfig.DEFAULT_RETENTION.toDays(), 0, 3650)))
        .withQueueVacuumDeadRows(
            integer(
                "PODFLOW_QUEUE_VACUUM_DEAD_ROWS",
                (int) PodConfig.DEFAULT_QUEUE_VACUUM_DEAD_ROWS,
                0,
                1_000_000_000));
  }

  private Duration seconds(String name, Duration fallback, int min, int max) {
    return Duration.ofSeconds(integer(name, (int) fallback.toSeconds(), min, max));
  }

  private int integer(String name, int fallback, int min, int max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) throw new NumberFormatException();
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(
          name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
  }

  private static String defaultPodId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "pod";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
