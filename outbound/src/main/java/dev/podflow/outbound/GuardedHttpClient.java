package dev.podflow.outbound;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK HTTP client that passes every request's URL through an {@link OutboundGuard} before sending
 * it, and follows redirects itself so every hop is checked too (the JDK's own redirects reuse the
 * first hop's proxy decision and never ask again). Redirects keep the method and body for 307/308
 * and turn into a GET without body for 303 and for a POST answered 301/302, as the JDK does; a
 * redirect that leaves the origin drops Authorization, Cookie, Origin, Referer and the configured
 * credential headers. Thread-safe, as the wrapped client is.
 */
final class GuardedHttpClient extends HttpClient {
  static final int MAX_REDIRECTS = 5;
  private static final Set<String> ALWAYS_DROPPED =
      Set.of("authorization", "cookie", "origin", "referer");

  private final HttpClient inner;
  private final OutboundGuard guard;
  private final Set<String> dropOnNewOrigin = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  GuardedHttpClient(HttpClient inner, OutboundGuard guard, Set<String> credentialHeaders) {
    this.inner = inner;
    this.guard = guard;
    this.dropOnNewOrigin.addAll(ALWAYS_DROPPED);
    this.dropOnNewOrigin.addAll(credentialHeaders);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return send(request, handler, 0);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler); // push promises are HTTP/2 extras nobody here asks for
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try {
      return sendAsync(request, handler).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw new IOException(e.getCause());
    }
  }

  private <T> CompletableFuture<HttpResponse<T>> send(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, int hops) {
    try {
      guard.check(request.uri());
    } catch (OutboundRefusedException e) {
      return CompletableFuture.failedFuture(
          hops == 0
              ? e
              : new OutboundRefusedException(
                  "a redirect to " + request.uri() + " was refused: " + e.getMessage()));
    }
    // A redirect's body is dropped unread; anything else goes to the caller's handler.
    HttpResponse.BodyHandler<T> redirectAware =
        info ->
            target(request.uri(), info.statusCode(), info.headers()).isPresent()
                ? HttpResponse.BodySubscribers.replacing(null)
                : handler.apply(info);
    return inner
        .sendAsync(request, redirectAware)
        .exceptionallyCompose(failure -> explain(request.uri(), failure))
        .thenCompose(
            response -> {
              Optional<URI> target =
                  target(request.uri(), response.statusCode(), response.headers());
              if (target.isEmpty()) return CompletableFuture.completedFuture(response);
              if (hops >= MAX_REDIRECTS) {
                return CompletableFuture.failedFuture(
                    new IOException(
                        "more than " + MAX_REDIRECTS + " redirects from " + request.uri()));
              }
              if (request.uri().getScheme().equalsIgnoreCase("https")
                  && target.get().getScheme().equalsIgnoreCase("http")) {
                return CompletableFuture.failedFuture(
                    new OutboundRefusedException(
                        "a redirect from https to " + target.get() + " was refused"));
              }
              return send(
                  redirect(request, response.statusCode(), target.get()), handler, hops + 1);
            });
  }

  /**
   * The JDK turns a refused resolution at connect time into a bare UnresolvedAddressException; the
   * guard's reason is found again by checking the URL once more.
   */
  private <T> CompletableFuture<T> explain(URI uri, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) {
        try {
          guard.check(uri);
        } catch (OutboundRefusedException refused) {
          return CompletableFuture.failedFuture(refused);
        }
      }
    }
    return CompletableFuture.failedFuture(failure);
  }

  /** Where a redirect response points, or empty when it is not one to follow. */
  private static Optional<URI> target(URI from, int status, java.net.http.HttpHeaders headers) {
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      return Optional.empty();
    }
    return headers.firstValue("Location").map(location -> from.resolve(location.trim()));
  }

  private HttpRequest redirect(HttpRequest request, int status, URI target) {
    boolean sameOrigin =
        request.uri().getScheme().equalsIgnoreCase(target.getScheme())
            && request.uri().getRawAuthority().equalsIgnoreCase(target.getRawAuthority());
    String method = request.method();
    boolean toGet = status == 303 || (status == 301 || status == 302) && method.equals("POST");
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(
                request,
                (name, value) ->
                    sameOrigin || !dropOnNewOrigin.contains(name.toLowerCase(Locale.ROOT)))
            .uri(target);
    if (toGet) builder.GET();
    return builder.build();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return inner.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return inner.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return Redirect.NORMAL; // followed here, each hop checked
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return inner.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return inner.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return inner.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return inner.authenticator();
  }

  @Override
  public Version version() {
    return inner.version();
  }

  @Override
  public Optional<Executor> executor() {
    return inner.executor();
  }

  @Override
  public void shutdown() {
    inner.shutdown();
  }

  @Override
  public void shutdownNow() {
    inner.shutdownNow();
  }

  @Override
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    return inner.awaitTermination(duration);
  }

  @Override
  public boolean isTerminated() {
    return inner.isTerminated();
  }

  @Override
  public void close() {
    inner.close();
  }
}
