package dev.podflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.podflow.store.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local OpenAI-compatible chat endpoint for tests: {@code POST /v1/chat/completions} answers the
 * next response a test queued (assistant text, tool calls, an HTTP error), with a {@code usage}
 * block, and records every request it got so tests can assert on prompts. {@code POST
 * /v1/embeddings} answers each input with a deterministic bag-of-words vector ({@link
 * #embeddingDimension}, 384 by default): texts sharing words are near, which is all a test of the
 * plumbing needs; those requests are counted ({@link #embeddingRequests}), not recorded. Real
 * clients (langchain4j's OpenAI model) talk to it over HTTP on a free port; nothing is mocked.
 *
 * <p>A request that finds the queue empty is answered by the responder a test set with {@link
 * #answerBy} (for concurrent callers, whose order no queue can predict), else gets HTTP 400 (not
 * retryable), so a test that scripted too few answers fails loudly instead of hanging. Thread-safe.
 */
public final class ScriptedLlmServer implements AutoCloseable {
  /** Tokens reported when a test does not choose them. */
  public static final int DEFAULT_PROMPT_TOKENS = 42;

  public static final int DEFAULT_COMPLETION_TOKENS = 7;

  private final HttpServer server;
  private final Deque<Scripted> script = new ArrayDeque<>();
  private Function<RecordedRequest, Reply> responder;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong embeddingRequests = new AtomicLong();
  private volatile int embeddingDimension = 384;

  /** One request the server received: the path and the parsed JSON body. */
  public record RecordedRequest(String path, JsonNode body) {
    /** The {@code content} of every message, joined by newlines: what the model was told. */
    public String prompt() {
      StringBuilder text = new StringBuilder();
      for (JsonNode message : body.path("messages")) {
        JsonNode content = message.path("content");
        text.append(content.isTextual() ? content.asText() : content.toString()).append('\n');
      }
      return text.toString();
    }

    /** The messages sent, in order. */
    public JsonNode messages() {
      return body.path("messages");
    }

    public String model() {
      return body.path("model").asText();
    }
  }

  /** A tool call the scripted assistant makes: the function name and its JSON arguments. */
  public record ToolCall(String name, String argumentsJson) {}

  /** What a responder answers: assistant text, or tool calls when there are any. */
  public record Reply(String text, List<ToolCall> toolCalls) {
    public static Reply text(String text) {
      return new Reply(text, List.of());
    }

    public static Reply toolCalls(ToolCall... calls) {
      return new Reply(null, List.of(calls));
    }
  }

  private record Scripted(int status, String body) {}

  private ScriptedLlmServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static ScriptedLlmServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ScriptedLlmServer scripted = new ScriptedLlmServer(http);
      http.createContext("/", scripted::handle);
      http.setExecutor(Executors.newCachedThreadPool());
      http.start();
      return scripted;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the scripted LLM server", e);
    }
  }

  /** The base URL an OpenAI client takes, e.g. {@code http://127.0.0.1:40123/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /**
   * The settings a pod gives its LLM orchestrators to talk to this server (as {@code PODFLOW_LLM_*}
   * would): model {@code test-model}, {@code maxRetries} retries of a 429, 5xx or timeout.
   */
  public Map<String, String> podSettings(int maxRetries) {
    return Map.of(
        "PODFLOW_LLM_BASE_URL",
        baseUrl(),
        "PODFLOW_LLM_API_KEY",
        "test-key",
        "PODFLOW_LLM_MODEL",
        "test-model",
        "PODFLOW_LLM_MAX_RETRIES",
        Integer.toString(maxRetries));
  }

  /** The dimension of the vectors {@code /v1/embeddings} answers from now on. */
  public ScriptedLlmServer embeddingDimension(int dimension) {
    this.embeddingDimension = dimension;
    return this;
  }

  /** {@code /v1/embeddings} requests served so far. */
  public long embeddingRequests() {
    return embeddingRequests.get();
  }

  /** Queues a plain assistant answer with the default token counts. */
  public ScriptedLlmServer answer(String content) {
    return answer(content, DEFAULT_PROMPT_TOKENS, DEFAULT_COMPLETION_TOKENS);
  }

  /** Queues a plain assistant answer reporting the given usage. */
  public ScriptedLlmServer answer(String content, int promptTokens, int completionTokens) {
    ObjectNode message = Json.object().put("role", "assistant").put("content", content);
    return enqueue(200, completion(message, "stop", promptTokens, completionTokens).toString());
  }

  /** Queues an assistant turn that asks for one or more tool calls. */
  public ScriptedLlmServer toolCalls(ToolCall... calls) {
    return enqueue(200, toolCallsBody(List.of(calls)));
  }

  private String toolCallsBody(List<ToolCall> calls) {
    ObjectNode message = Json.object().put("role", "assistant");
    message.putNull("content");
    ArrayNode toolCalls = message.putArray("tool_calls");
    for (ToolCall call : calls) {
      ObjectNode entry = toolCalls.addObject();
      entry.put("id", "call_" + ids.incrementAndGet());
      entry.put("type", "function");
      entry.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
    }
    return completion(message, "tool_calls", DEFAULT_PROMPT_TOKENS, DEFAULT_COMPLETION_TOKENS)
        .toString();
  }

  /** Queues an HTTP error answer, e.g. 429 or 500, with an OpenAI-style error body. */
  public ScriptedLlmServer error(int status, String message) {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("message", message)
        .put("type", status == 429 ? "rate_limit_exceeded" : "server_error");
    return enqueue(status, body.toString());
  }

  /**
   * Answers every request the queue does not with the assistant text {@code responder} returns for
   * it (it may block to simulate a slow model: requests are served on their own threads).
   */
  public synchronized ScriptedLlmServer answerBy(Function<RecordedRequest, String> responder) {
    return replyBy(request -> Reply.text(responder.apply(request)));
  }

  /**
   * Like {@link #answerBy}, with replies that may call tools: a model whose next turn depends on
   * the conversation it is sent (e.g. on the tool results in it).
   */
  public synchronized ScriptedLlmServer replyBy(Function<RecordedRequest, Reply> responder) {
    this.responder = responder;
    return this;
  }

  /** Queues a raw answer, exactly as given. */
  public synchronized ScriptedLlmServer enqueue(int status, String body) {
    script.addLast(new Scripted(status, body));
    return this;
  }

  /** The requests received so far, oldest first. */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Scripted answers not yet given. */
  public synchronized int remaining() {
    return script.size();
  }

  /** Forgets the script and the recorded requests, for the next test. */
  public synchronized void reset() {
    script.clear();
    responder = null;
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private ObjectNode completion(
      ObjectNode message, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode body = Json.object();
    body.put("id", "chatcmpl-" + ids.incrementAndGet());
    body.put("object", "chat.completion");
    body.put("created", System.currentTimeMillis() / 1000);
    body.put("model", "scripted");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", finishReason);
    body.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return body;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/embeddings")) {
        try (InputStream in = exchange.getRequestBody()) {
          respond(exchange, 200, embeddings(Json.MAPPER.readTree(in)).toString());
        }
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/chat/completions")) {
        respond(exchange, 404, "{\"error\":{\"message\":\"no such endpoint: " + path + "\"}}");
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = Json.MAPPER.readTree(in);
      }
      Scripted next;
      Function<RecordedRequest, Reply> fallback;
      RecordedRequest request = new RecordedRequest(path, body);
      synchronized (this) {
        requests.add(request);
        next = script.pollFirst();
        fallback = responder;
      }
      if (next == null && fallback != null) {
        Reply reply = fallback.apply(request);
        if (!reply.toolCalls().isEmpty()) {
          next = new Scripted(200, toolCallsBody(reply.toolCalls()));
        } else {
          ObjectNode message = Json.object().put("role", "assistant").put("content", reply.text());
          next =
              new Scripted(
                  200,
                  completion(message, "stop", DEFAULT_PROMPT_TOKENS, DEFAULT_COMPLETION_TOKENS)
                      .toString());
        }
      }
      if (next == null) {
        respond(
            exchange,
            400,
            "{\"error\":{\"message\":\"scripted server: no response queued for this request\"}}");
        return;
      }
      respond(exchange, next.status(), next.body());
    }
  }

  private ObjectNode embeddings(JsonNode request) {
    embeddingRequests.incrementAndGet();
    JsonNode input = request.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) texts.add(input.asText());
    input.forEach(text -> texts.add(text.asText()));
    ObjectNode body =
        Json.object().put("object", "list").put("model", request.path("model").asText());
    ArrayNode data = body.putArray("data");
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      float[] vector = new float[embeddingDimension];
      for (String word : texts.get(i).toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
        if (word.isEmpty()) continue;
        vector[Math.floorMod(word.hashCode(), vector.length)] += 1;
        tokens++;
      }
      ArrayNode values =
          data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
      double norm = 0;
      for (float v : vector) norm += v * v;
      for (float v : vector) values.add(norm == 0 ? 0 : v / Math.sqrt(norm));
    }
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return body;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
