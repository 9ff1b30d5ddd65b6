package dev.podflow.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the configured chat model for a task: retries 429, 5xx and timeouts with exponential
 * backoff and jitter inside the attempt, and records every call — successful or not — as an {@code
 * llm_call} event of the task ({@code model}, {@code promptTokens}, {@code completionTokens},
 * {@code latencyMs}, {@code outcome}; {@code offline: true} for the offline model) and in the
 * metrics {@code podflow_llm_calls_total{model,outcome}}, {@code
 * podflow_llm_tokens_total{model,kind}} and {@code podflow_llm_call_seconds{model}}. Thread-safe.
 */
public final class LlmClient {
  private static final Logger log = LoggerFactory.getLogger(LlmClient.class);

  /** The event type of one call to a model. */
  public static final String LLM_CALL = "llm_call";

  private final LlmConfig config;
  private final MeterRegistry metrics;
  private final ChatModel offline = new OfflineChatModel();
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

  LlmClient(LlmConfig config, MeterRegistry metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * The client an orchestrator of a pod uses: the endpoint from the pod's {@code PODFLOW_LLM_*}
   * settings ({@link LlmConfig#fromEnvironment}), the pod's metrics. Logs which model the
   * orchestrator runs on, and warns when that is the offline model.
   *
   * @throws dev.podflow.store.InvalidConfigurationException for a bad {@code PODFLOW_LLM_*}
   */
  static LlmClient forPod(PodServices pod, String orchestrator) {
    LlmConfig config = LlmConfig.fromEnvironment(pod.settings());
    if (config.isOffline()) {
      log.warn(
          "[pod {}] no LLM endpoint configured (PODFLOW_LLM_API_KEY or OPENAI_API_KEY,"
              + " PODFLOW_LLM_BASE_URL, or PODFLOW_LLM_PROVIDER=ollama): {} runs the built-in"
              + " OFFLINE model — deterministic placeholder answers, not a real LLM; its calls are"
              + " labelled model=offline",
          pod.podId(),
          orchestrator);
    } else {
      log.info("[pod {}] {} uses {}", pod.podId(), orchestrator, config);
    }
    return new LlmClient(config, pod.metrics());
  }

  /** The model a call runs on: "offline" when offline, else the agent's model or the default. */
  public String modelFor(String agentModel) {
    if (config.isOffline()) return LlmConfig.OFFLINE_MODEL;
    return agentModel == null || agentModel.isBlank() ? config.model() : agentModel;
  }

  /**
   * One chat turn for the task, retried inside the attempt while the endpoint answers 429, 5xx or
   * times out.
   *
   * @throws TaskFailedException retryable once the retries are used up; permanent for answers no
   *     retry changes (401, 404, 400)
   * @throws InterruptedException when the slot is interrupted while waiting to retry
   */
  public ChatResponse chat(TaskContext task, String model, ChatRequest request)
      throws InterruptedException {
    ChatModel chatModel =
        config.isOffline() ? offline : models.computeIfAbsent(model, this::openAiModel);
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      try {
        ChatResponse response = chatModel.chat(request);
        recordSuccess(task, model, response, System.nanoTime() - started);
        return response;
      } catch (RuntimeException e) {
        long elapsed = System.nanoTime() - started;
        String outcome = outcomeOf(e);
        recordFailure(task, model, e, outcome, attempt, elapsed);
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
        boolean retryable = !outcome.equals("error");
        if (!retryable) {
          throw TaskFailedException.permanent(
              "LLM call to model '" + model + "' was refused: " + describe(e));
        }
        if (attempt > config.maxRetries()) {
          throw TaskFailedException.retryable(
              "LLM call to model '"
                  + model
                  + "' failed "
                  + attempt
                  + " time(s) ("
                  + outcome
                  + "): "
                  + describe(e));
        }
        Thread.sleep(backoff(attempt).toMillis());
      }
    }
  }

  private ChatModel openAiModel(String model) {
    return OpenAiChatModel.builder()
        .baseUrl(config.baseUrl())
        .apiKey(config.apiKey() == null ? "not-needed" : config.apiKey())
        .modelName(model)
        .timeout(config.timeout())
        .maxRetries(0) // retried here, so that every HTTP call is an event and a metric
        .build();
  }

  private void recordSuccess(TaskContext task, String model, ChatResponse response, long nanos) {
    TokenUsage usage = response.tokenUsage();
    int prompt = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    int completion =
        usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    Counter.builder("podflow_llm_calls_total")
        .description("Calls to a chat model, by outcome")
        .tags("model", model, "outcome", "ok")
        .register(metrics)
        .increment();
    tokens(model, "prompt").increment(prompt);
    tokens(model, "completion").increment(completion);
    timer(model).record(nanos, TimeUnit.NANOSECONDS);
    ObjectNode payload =
        base(model, nanos)
            .put("outcome", "ok")
            .put("promptTokens", prompt)
            .put("completionTokens", completion);
    if (response.finishReason() != null) {
      payload.put("finishReason", response.finishReason().name().toLowerCase());
    }
    task.recordEvent(LLM_CALL, payload);
  }

  private void recordFailure(
      TaskContext task, String model, RuntimeException e, String outcome, int attempt, long nanos) {
    Counter.builder("podflow_llm_calls_total")
        .description("Calls to a chat model, by outcome")
        .tags("model", model, "outcome", outcome)
        .register(metrics)
        .increment();
    timer(model).record(nanos, TimeUnit.NANOSECONDS);
    ObjectNode payload =
        base(model, nanos)
            .put("outcome", outcome)
            .put("promptTokens", 0)
            .put("completionTokens", 0)
            .put("try", attempt)
            .put("error", describe(e));
    Integer status = statusOf(e);
    if (status != null) payload.put("status", status);
    task.recordEvent(LLM_CALL, payload);
  }

  private ObjectNode base(String model, long nanos) {
    ObjectNode payload =
        Json.object().put("model", model).put("latencyMs", TimeUnit.NANOSECONDS.toMillis(nanos));
    if (config.isOffline()) payload.put("offline", true);
    return payload;
  }

  private Counter tokens(String model, String kind) {
    return Counter.builder("podflow_llm_tokens_total")
        .description("Tokens reported by chat models, by kind (prompt, completion)")
        .tags("model", model, "kind", kind)
        .register(metrics);
  }

  private Timer timer(String model) {
    return Timer.builder("podflow_llm_call_seconds")
        .description("Latency of one call to a chat model, failed calls included")
        .tags("model", model)
        .publishPercentileHistogram()
        .register(metrics);
  }

  /**
   * {@code rate_limited}, {@code server_error} and {@code timeout} are retried; {@code error} not.
   */
  static String outcomeOf(Throwable e) {
    Integer status = statusOf(e);
    if (status != null) {
      if (status == 429) return "rate_limited";
      if (status >= 500) return "server_error";
      if (status == 408) return "timeout";
      return "error";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RateLimitException) return "rate_limited";
      if (t instanceof HttpTimeoutException
          || t instanceof dev.langchain4j.exception.TimeoutException) {
        return "timeout";
      }
      if (t instanceof RetriableException || t instanceof IOException) return "server_error";
    }
    return "error";
  }

  static Integer statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException http) return http.statusCode();
    }
    return null;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) message = e.getCause().toString();
    String text = e.getClass().getSimpleName() + ": " + message;
    return text.length() <= 500 ? text : text.substring(0, 500) + "…";
  }

  private Duration backoff(int attempt) {
    long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, LlmConfig.MAX_BACKOFF.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
