package dev.podflow.pod;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * A process's operations port, the pod's and the notifier's: {@code /healthz} (liveness), {@code
 * /readyz} (working and the database answers) and {@code /metrics} (Prometheus text).
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  public static OpsServer start(AgentPod pod, PrometheusMeterRegistry registry, int port) {
    return start(pod::isAlive, pod::isReady, registry, port);
  }

  /**
   * The endpoints of a process that answers {@code alive} and {@code ready} itself.
   *
   * @throws UncheckedIOException when the port cannot be opened, saying which setting chooses it
   */
  public static OpsServer start(
      BooleanSupplier alive, BooleanSupplier ready, PrometheusMeterRegistry registry, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the metrics port: " + e.getMessage() + " (set PODFLOW_METRICS_PORT)", e);
    }
    server.createContext(
        "/healthz",
        ex -> {
          boolean up = alive.getAsBoolean();
          respond(
              ex,
              up ? 200 : 503,
              up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}",
              "application/json");
        });
    server.createContext(
        "/readyz",
        ex -> {
          boolean isReady = ready.getAsBoolean();
          respond(
              ex,
              isReady ? 200 : 503,
              isReady ? "{\"status\":\"READY\"}" : "{\"status\":\"NOT_READY\"}",
              "application/json");
        });
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
    return new OpsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
