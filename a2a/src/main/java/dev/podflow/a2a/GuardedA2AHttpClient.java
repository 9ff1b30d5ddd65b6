package dev.podflow.a2a;

import io.a2a.client.http.A2AHttpClient;
import io.a2a.client.http.A2AHttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The A2A SDK's HTTP client, on the outbound guard's {@link HttpClient} (every request and every
 * redirect checked, no proxy) with a timeout on each request: the SDK's own client would reach any
 * address. Podflow's steps do not stream, so the SSE methods refuse. Thread-safe; the {@link
 * HttpClient} belongs to its creator.
 */
final class GuardedA2AHttpClient implements A2AHttpClient {
  private final HttpClient http;
  private final Duration timeout;

  GuardedA2AHttpClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public GetBuilder createGet() {
    return new Get();
  }

  @Override
  public PostBuilder createPost() {
    return new Post();
  }

  @Override
  public DeleteBuilder createDelete() {
    return new Delete();
  }

  /** What every request of the three kinds holds: its URL and headers. */
  private abstract class Request<T extends Builder<T>> implements Builder<T> {
    private String url;
    private final Map<String, String> headers = new LinkedHashMap<>();

    abstract T self();

    @Override
    public T url(String url) {
      this.url = url;
      return self();
    }

    @Override
    public T addHeaders(Map<String, String> headers) {
      this.headers.putAll(headers);
      return self();
    }

    @Override
    public T addHeader(String name, String value) {
      headers.put(name, value);
      return self();
    }

    A2AHttpResponse send(HttpRequest.Builder request) throws IOException, InterruptedException {
      request.uri(URI.create(url)).timeout(timeout);
      headers.forEach(request::header);
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    }

    CompletableFuture<Void> noStreams() {
      throw new UnsupportedOperationException(
          "Podflow's a2a step does not stream; it sends and polls");
    }
  }

  private final class Get extends Request<GetBuilder> implements GetBuilder {
    @Override
    GetBuilder self() {
      return this;
    }

    @Override
    public A2AHttpResponse get() throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder().GET());
    }

    @Override
    public CompletableFuture<Void> getAsyncSSE(
        Consumer<String> messages, Consumer<Throwable> errors, Runnable done) {
      return noStreams();
    }
  }

  private final class Post extends Request<PostBuilder> implements PostBuilder {
    private String body = "";

    @Override
    PostBuilder self() {
      return this;
    }

    @Override
    public PostBuilder body(String body) {
      this.body = body;
      return this;
    }

    @Override
    public A2AHttpResponse post() throws IOException, InterruptedException {
      return send(
          HttpRequest.newBuilder()
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Override
    public CompletableFuture<Void> postAsyncSSE(
        Consumer<String> messages, Consumer<Throwable> errors, Runnable done) {
      return noStreams();
    }
  }

  private final class Delete extends Request<DeleteBuilder> implements DeleteBuilder {
    @Override
    DeleteBuilder self() {
      return this;
    }

    @Override
    public A2AHttpResponse delete() throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder().DELETE());
    }
  }

  private record Response(int status, String body) implements A2AHttpResponse {
    @Override
    public boolean success() {
      return status >= 200 && status < 300;
    }
  }
}
