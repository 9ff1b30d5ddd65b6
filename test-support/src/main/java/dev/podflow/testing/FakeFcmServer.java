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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for FCM's HTTP v1 API, for firebase-admin's real client (pointed here through a
 * rewriting transport, see STACK.md): {@code POST /v1/projects/{id}/messages:send} answers {@code
 * {"name": "projects/{id}/messages/{n}"}}, or the {@link Failure} a test scripted for the message's
 * token, shaped as FCM shapes it (status, {@code google.rpc} status name, an {@code FcmError}
 * detail, a {@code BadRequest} field violation for an INVALID_ARGUMENT). A test may also {@link
 * #hold} a token's next request until it releases it, to catch a sender mid-send. Every request is
 * recorded ({@link #requests}). Thread-safe.
 *
 * <p>Transient failures carry {@code Retry-After: 120}: firebase-admin retries a 500 or 503 itself,
 * up to four times, unless the server asks for more than a minute, so with it each send the
 * notifier makes is one request and the notifier's own retry is what a test sees.
 */
public final class FakeFcmServer implements AutoCloseable {
  private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");
  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";

  /** The errors FCM answers a send with, as FCM words them. */
  public enum Failure {
    /** The app was uninstalled or the token expired: 404 with an FcmError UNREGISTERED. */
    UNREGISTERED(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", null),
    /** A malformed token: 400 INVALID_ARGUMENT, the field violation on {@code message.token}. */
    INVALID_TOKEN(
        400,
        "INVALID_ARGUMENT",
        "INVALID_ARGUMENT",
        "The registration token is not a valid FCM registration token",
        "message.token"),
    /** A malformed message, not the token's fault: 400 INVALID_ARGUMENT on another field. */
    INVALID_PAYLOAD(
        400,
        "INVALID_ARGUMENT",
        "INVALID_ARGUMENT",
        "Invalid value at 'message.android.collapse_key'",
        "message.android.collapse_key"),
    /** The token belongs to another sender: 403 with an FcmError SENDER_ID_MISMATCH. */
    SENDER_ID_MISMATCH(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch", null),
    /** FCM is overloaded: 503. */
    UNAVAILABLE(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.", null),
    /** Sending too fast: 429 with an FcmError QUOTA_EXCEEDED. */
    QUOTA_EXCEEDED(
        429,
        "RESOURCE_EXHAUSTED",
        "QUOTA_EXCEEDED",
        "Quota exceeded for quota metric 'Send requests'.",
        null),
    /** An unknown server error: 500. */
    INTERNAL(500, "INTERNAL", "INTERNAL", "Internal error encountered.", null);

    final int httpStatus;
    final String status;
    final String fcmErrorCode;
    final String message;
    final String violatedField;

    Failure(
        int httpStatus, String status, String fcmErrorCode, String message, String violatedField) {
      this.httpStatus = httpStatus;
      this.status = status;
      this.fcmErrorCode = fcmErrorCode;
      this.message = message;
      this.violatedField = violatedField;
    }

    boolean isTransient() {
      return httpStatus == 429 || httpStatus >= 500;
    }
  }

  /**
   * One send the server received.
   *
   * @param answer the message name it answered, or the failure's name
   */
  public record Request(
      String projectId,
      String authorization,
      boolean validateOnly,
      JsonNode message,
      String answer) {
    public String token() {
      return message.path("token").asText(null);
    }

    /** A value of the message's {@code data}, or null. */
    public String data(String key) {
      return message.path("data").path(key).asText(null);
    }
  }

  /** The next request for one token waits here until {@link #release}. */
  public static final class Hold {
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Waits until the request for the token has arrived and is held. */
    public void awaitArrival(Duration timeout) throws InterruptedException {
      if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("no request came to the hold within " + timeout);
      }
    }

    /** Lets the held request through. */
    public void release() {
      released.countDown();
    }
  }

  private record Script(Failure failure, int times) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicLong messageIds = new AtomicLong();
  private final Map<String, Script> scripts = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();

  private FakeFcmServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static FakeFcmServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeFcmServer fake = new FakeFcmServer(http);
      http.createContext("/", fake::handle);
      http.setExecutor(fake.executor);
      http.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the fake FCM server", e);
    }
  }

  /** Where FCM's requests should go instead, e.g. {@code http://127.0.0.1:40123}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every send to {@code token} fails with {@code failure}. */
  public synchronized FakeFcmServer fail(String token, Failure failure) {
    return failTimes(token, failure, Integer.MAX_VALUE);
  }

  /**
   * The next {@code times} sends to {@code token} fail with {@code failure}; later ones succeed.
   */
  public synchronized FakeFcmServer failTimes(String token, Failure failure, int times) {
    scripts.put(token, new Script(failure, times));
    return this;
  }

  /** Holds the next send to {@code token} (later ones pass) until the hold is released. */
  public synchronized Hold hold(String token) {
    Hold hold = new Hold();
    holds.put(token, hold);
    return hold;
  }

  /** Every send received so far, in arrival order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The sends to {@code token}. */
  public synchronized List<Request> requestsTo(String token) {
    return requests.stream().filter(r -> token.equals(r.token())).toList();
  }

  /** Stops the server; a request still held is dropped. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher send = SEND.matcher(exchange.getRequestURI().getPath());
      if (!"POST".equals(exchange.getRequestMethod()) || !send.matches()) {
        respond(exchange, 404, Json.object().put("error", "no such endpoint").toString());
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = Json.MAPPER.readTree(in);
      }
      JsonNode message = body.path("message");
      String token = message.path("token").asText("");
      waitIfHeld(token);
      String projectId = send.group(1);
      Failure failure = nextFailure(token);
      String answer =
          failure == null
              ? "projects/" + projectId + "/messages/" + messageIds.incrementAndGet()
              : failure.name();
      synchronized (this) {
        requests.add(
            new Request(
                projectId,
                exchange.getRequestHeaders().getFirst("Authorization"),
                body.path("validate_only").asBoolean(false),
                message,
                answer));
      }
      if (failure == null) {
        respond(exchange, 200, Json.object().put("name", answer).toString());
      } else {
        if (failure.isTransient()) exchange.getResponseHeaders().set("Retry-After", "120");
        respond(exchange, failure.httpStatus, error(failure).toString());
      }
    }
  }

  private void waitIfHeld(String token) {
    Hold hold;
    synchronized (this) {
      hold = holds.remove(token);
    }
    if (hold == null) return;
    hold.arrived.countDown();
    try {
      hold.released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Failure nextFailure(String token) {
    Script script = scripts.get(token);
    if (script == null) return null;
    if (script.times() != Integer.MAX_VALUE) {
      if (script.times() <= 1) scripts.remove(token);
      else scripts.put(token, new Script(script.failure(), script.times() - 1));
    }
    return script.failure();
  }

  /** FCM's error body: a google.rpc.Status with an FcmError detail (and a BadRequest one). */
  private static ObjectNode error(Failure failure) {
    ObjectNode error =
        Json.object()
            .put("code", failure.httpStatus)
            .put("message", failure.message)
            .put("status", failure.status);
    ArrayNode details = error.putArray("details");
    details.addObject().put("@type", FCM_ERROR).put("errorCode", failure.fcmErrorCode);
    if (failure.violatedField != null) {
      details
          .addObject()
          .put("@type", BAD_REQUEST)
          .putArray("fieldViolations")
          .addObject()
          .put("field", failure.violatedField)
          .put("description", failure.message);
    }
    ObjectNode root = Json.object();
    root.set("error", error);
    return root;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
