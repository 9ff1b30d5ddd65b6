package dev.podflow.api;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every request as {@code podflow_http_server_requests{method,route,status}}. The route is
 * the matched template ({@code /api/v1/processes/{id}}), never the raw path, and {@code unmatched}
 * when no route matched, so the number of series stays bounded whatever clients send. An SSE
 * request is timed for the stream's whole life.
 */
final class RequestMetrics implements RequestLogger {
  static final String NAME = "podflow.http.server.requests";
  static final String UNMATCHED = "unmatched";

  private static final Logger LOG = LoggerFactory.getLogger(RequestMetrics.class);

  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Context ctx, Float executionTimeMs) {
    try {
      record(ctx, executionTimeMs);
    } catch (RuntimeException e) {
      // The request was recycled under us (the server stopped as a stream ended): nothing to time.
      LOG.debug("execution-api - request not timed: {}", e.toString());
    }
  }

  private void record(Context ctx, float executionTimeMs) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    String route = endpoint == null ? UNMATCHED : endpoint.path;
    String status = Integer.toString(ctx.statusCode());
    Timer.builder(NAME)
        .description("HTTP requests served by the execution API")
        .tag("method", ctx.method().name())
        .tag("route", route)
        .tag("status", status)
        .serviceLevelObjectives(
            Duration.ofMillis(5),
            Duration.ofMillis(25),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofSeconds(2))
        .register(registry)
        .record((long) (executionTimeMs * 1_000_000.0), TimeUnit.NANOSECONDS);
    LOG.debug(
        "execution-api - {} {} -> {} in {} ms", ctx.method(), ctx.path(), status, executionTimeMs);
  }
}
