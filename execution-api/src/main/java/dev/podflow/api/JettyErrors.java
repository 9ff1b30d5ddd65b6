package dev.podflow.api;

import dev.podflow.store.Json;
import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error handler, server-wide: the errors Jetty answers itself, before a request reaches
 * Javalin (and so {@link Problems}), come out as {@code application/problem+json} like every other
 * error instead of Jetty's HTML page. These are a request its HTTP parser refuses (400: a bad
 * request line, URI or header; 505), header fields or a URI over the connector's limit (431, 414),
 * a body over the API's limit (413), and anything that escapes Javalin (500).
 */
final class JettyErrors implements Request.Handler {
  /**
   * The largest request body the API reads, a document's ({@link BodyLimit#DOCUMENT}); every other
   * route takes less.
   */
  static final long MAX_BODY_BYTES = 4_000_000;

  /** Javalin leaves Jetty's default for the request line and header fields together. */
  private static final int HEADER_LIMIT = new HttpConfiguration().getRequestHeaderSize();

  /** The path Jetty gives a request it could not parse. */
  private static final String UNPARSED_PATH = "/badMessage";

  /** A path longer than this is not echoed as the problem's {@code instance}. */
  private static final int MAX_INSTANCE_LENGTH = 2048;

  private static final Logger LOG = LoggerFactory.getLogger(JettyErrors.class);

  private JettyErrors() {}

  /**
   * Makes this Jetty's server-wide error handler, and refuses a body over {@link #MAX_BODY_BYTES}
   * with 413: at once when its {@code Content-Length} says so (before a byte of it is read or a
   * {@code 100 Continue} invites it), else once that many bytes have arrived.
   */
  static void register(JavalinConfig config) {
    config.http.maxRequestSize = MAX_BODY_BYTES;
    config.jetty.modifyServer(
        server -> {
          server.setErrorHandler(new JettyErrors());
          server.setHandler(new SizeLimitHandler(MAX_BODY_BYTES, -1));
        });
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
      if (reason == null) reason = http.getReason();
    }
    Problems.Problem problem = problem(status, reason, instance(request.getHttpURI()));
    if (problem.type().equals(ProblemType.INTERNAL_ERROR.type())) {
      LOG.error("execution-api - Jetty answered {}: {}", status, reason, cause);
    } else {
      LOG.debug("execution-api - Jetty refused a request ({}): {}", status, reason);
    }
    response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
    if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    byte[] body = Json.write(problem).getBytes(StandardCharsets.UTF_8);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /**
   * The problem for an error status Jetty raised, here or inside a handler (a body over the limit
   * fails its read).
   *
   * @param reason Jetty's words, or null
   * @param instance the request's path, or null when unknown
   */
  static Problems.Problem problem(int status, String reason, String instance) {
    return switch (status) {
      case 400 ->
          problem(
              ProblemType.BAD_HTTP_REQUEST,
              "the HTTP request could not be parsed: "
                  + (reason == null || reason.equals(HttpStatus.getMessage(400))
                      ? "a malformed request line, URI, percent-encoding or header field"
                      : reason),
              instance);
      case 413 ->
          problem(
              ProblemType.REQUEST_TOO_LARGE,
              "the request body is larger than the " + MAX_BODY_BYTES + " bytes this API accepts",
              instance);
      case 414 ->
          problem(
              ProblemType.URI_TOO_LONG,
              "the request line is longer than the " + HEADER_LIMIT + " bytes this API accepts",
              instance);
      case 431 ->
          problem(
              ProblemType.HEADERS_TOO_LARGE,
              "the request line and header fields are larger than the "
                  + HEADER_LIMIT
                  + " bytes this API accepts in all",
              instance);
      case 500 ->
          problem(
              ProblemType.INTERNAL_ERROR,
              "the server failed to handle the request; the error was logged",
              instance);
      default ->
          new Problems.Problem(
              Problems.ABOUT_BLANK,
              HttpStatus.getMessage(status),
              status,
              reason == null ? HttpStatus.getMessage(status) : reason,
              instance,
              null);
    };
  }

  private static Problems.Problem problem(ProblemType type, String detail, String instance) {
    return new Problems.Problem(type.type(), type.title(), type.status(), detail, instance, null);
  }

  /** The request's path, when the parser got that far and it is of a sensible length. */
  private static String instance(HttpURI uri) {
    String path = uri == null ? null : uri.getPath();
    if (path == null || path.isEmpty() || path.equals(UNPARSED_PATH)) return null;
    return path.length() > MAX_INSTANCE_LENGTH ? null : path;
  }
}
