package dev.podflow.outbound;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Builds a {@link GuardedHttpClient}: every setting passes to the JDK's builder except redirects
 * (always followed by the guard, never by the JDK, which would not check the new address) and the
 * proxy (none: a proxy would resolve the name where the guard cannot see it). Not thread-safe, like
 * every builder.
 */
final class GuardedHttpClientBuilder implements HttpClient.Builder {
  private final HttpClient.Builder jdk = HttpClient.newBuilder();
  private final OutboundGuard guard;
  private final Set<String> credentialHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  private final Consumer<HttpClient> onBuild;

  GuardedHttpClientBuilder(
      OutboundGuard guard, Collection<String> credentialHeaders, Consumer<HttpClient> onBuild) {
    this.guard = guard;
    this.onBuild = onBuild;
    this.credentialHeaders.addAll(credentialHeaders);
  }

  @Override
  public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
    jdk.cookieHandler(cookieHandler);
    return this;
  }

  @Override
  public HttpClient.Builder connectTimeout(Duration duration) {
    jdk.connectTimeout(duration);
    return this;
  }

  @Override
  public HttpClient.Builder sslContext(SSLContext sslContext) {
    jdk.sslContext(sslContext);
    return this;
  }

  @Override
  public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
    jdk.sslParameters(sslParameters);
    return this;
  }

  @Override
  public HttpClient.Builder executor(Executor executor) {
    jdk.executor(executor);
    return this;
  }

  @Override
  public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
    return this; // the guarded client follows redirects itself
  }

  @Override
  public HttpClient.Builder version(HttpClient.Version version) {
    jdk.version(version);
    return this;
  }

  @Override
  public HttpClient.Builder priority(int priority) {
    jdk.priority(priority);
    return this;
  }

  @Override
  public HttpClient.Builder proxy(ProxySelector proxySelector) {
    return this; // never a proxy: see the class comment
  }

  @Override
  public HttpClient.Builder authenticator(Authenticator authenticator) {
    jdk.authenticator(authenticator);
    return this;
  }

  @Override
  public HttpClient.Builder localAddress(InetAddress localAddr) {
    jdk.localAddress(localAddr);
    return this;
  }

  @Override
  public HttpClient build() {
    HttpClient inner =
        jdk.followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    HttpClient client = new GuardedHttpClient(inner, guard, credentialHeaders);
    onBuild.accept(client);
    return client;
  }
}
