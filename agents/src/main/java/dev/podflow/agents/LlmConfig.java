package dev.podflow.agents;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the LLM is: an OpenAI-compatible endpoint ({@code baseUrl}, {@code apiKey}, default {@code
 * model}) — OpenAI, or anything that serves {@code /chat/completions} the same way, Ollama's {@code
 * /v1} included — or none, in which case {@code llm-action} runs the {@link OfflineChatModel}.
 * Validated at construction; read from the environment only in the launcher.
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

  /** An OpenAI-compatible endpoint with the default retries and timeout. */
  public static LlmConfig endpoint(String baseUrl, String apiKey, String model) {
    return new LlmConfig(
        baseUrl, apiKey, model, DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_TIMEOUT);
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
