package dev.podflow.agents;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the LLM is: an OpenAI-compatible endpoint ({@code baseUrl}, {@code apiKey}, default {@code
 * model}) — OpenAI, or anything that serves {@code /chat/completions} the same way, Ollama's {@code
 * /v1} included — or none, in which case {@code llm-action} runs the {@link OfflineChatModel}.
 * Validated at construction; {@link #fromEnvironment} reads it from the settings a pod hands its
 * orchestrators.
 *
 * @param baseUrl the endpoint, e.g. {@code https://api.openai.com/v1}; null = offline
 * @param apiKey sent as a bearer token; endpoints that take none (vLLM, Ollama) get a placeholder
 * @param model the model agents use unless their profile names one
 * @param maxRetries how often a 429, 5xx or timeout is retried inside one attempt
 * @param initialBackoff the pause before the first retry; doubled each time (with jitter)
 * @param timeout of one HTTP call
 */
public record LlmConfig(
    String baseUrl,
    String apiKey,
    String model,
    int maxRetries,
    Duration initialBackoff,
    Duration timeout) {
  public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_MODEL = "gpt-4o-mini";

  /** Ollama's OpenAI-compatible API on its default port. */
  public static final String DEFAULT_OLLAMA_BASE_URL = "http://localhost:11434/v1";

  /**
   * The model agents use with Ollama unless configured otherwise ({@code ollama pull llama3.2}).
   */
  public static final String DEFAULT_OLLAMA_MODEL = "llama3.2";

  public static final int DEFAULT_MAX_RETRIES = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The model name events and metrics carry for the offline model. */
  public static final String OFFLINE_MODEL = "offline";

  public LlmConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(timeout, "timeout");
    if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
    if (maxRetries < 0 || maxRetries > 20) {
      throw new IllegalArgumentException("maxRetries must be 0..20, got " + maxRetries);
    }
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (baseUrl != null && !baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://: " + baseUrl);
    }
  }

  /** No endpoint: every LLM step runs the deterministic offline model. */
  public static LlmConfig offline() {
    return new LlmConfig(null, null, OFFLINE_MODEL, 0, DEFAULT_INITIAL_BACKOFF, DEFAULT_TIMEOUT);
  }

  /**
   * The LLM endpoint from {@code PODFLOW_LLM_*}. {@code PODFLOW_LLM_PROVIDER} is {@code openai}
   * (the default) or {@code ollama}.
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
   *
   * @throws InvalidConfigurationException naming the variable and the fix
   */
  public static LlmConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    String provider = env.text("PODFLOW_LLM_PROVIDER");
    String baseUrl = env.text("PODFLOW_LLM_BASE_URL");
    String model = env.text("PODFLOW_LLM_MODEL");
    String apiKey = env.text("PODFLOW_LLM_API_KEY");
    switch (provider == null ? "openai" : provider.toLowerCase(Locale.ROOT)) {
      case "openai" -> {
        if (apiKey == null) apiKey = env.text("OPENAI_API_KEY");
        if (baseUrl == null && apiKey == null) {
          if (provider == null) return offline();
          throw new InvalidConfigurationException(
              "PODFLOW_LLM_PROVIDER=openai needs an API key: export PODFLOW_LLM_API_KEY=sk-… (or"
                  + " OPENAI_API_KEY), or PODFLOW_LLM_BASE_URL for another OpenAI-compatible"
                  + " endpoint; unset PODFLOW_LLM_PROVIDER to run the offline model instead");
        }
        if (baseUrl == null) baseUrl = DEFAULT_OPENAI_BASE_URL;
        if (model == null) model = DEFAULT_MODEL;
      }
      case "ollama" -> {
        if (baseUrl == null) baseUrl = DEFAULT_OLLAMA_BASE_URL;
        if (model == null) model = DEFAULT_OLLAMA_MODEL;
        if (!withoutTrailingSlash(baseUrl).endsWith("/v1")) {
          throw new InvalidConfigurationException(
              "PODFLOW_LLM_BASE_URL must be Ollama's OpenAI-compatible API, which ends in /v1"
                  + " (e.g. "
                  + DEFAULT_OLLAMA_BASE_URL
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
                  + DEFAULT_OLLAMA_BASE_URL
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
        env.integer("PODFLOW_LLM_MAX_RETRIES", DEFAULT_MAX_RETRIES, 0, 20),
        DEFAULT_INITIAL_BACKOFF,
        env.seconds("PODFLOW_LLM_TIMEOUT_SECONDS", DEFAULT_TIMEOUT, 1, 600));
  }

  private static String withoutTrailingSlash(String url) {
    String trimmed = url;
    while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
    return trimmed;
  }

  public boolean isOffline() {
    return baseUrl == null;
  }

  /** What to log: never the key. */
  @Override
  public String toString() {
    return isOffline()
        ? "LlmConfig[offline]"
        : "LlmConfig[baseUrl=" + baseUrl + ", model=" + model + ", maxRetries=" + maxRetries + "]";
  }
}
