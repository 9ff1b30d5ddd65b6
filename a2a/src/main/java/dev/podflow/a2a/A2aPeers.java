package dev.podflow.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.outbound.OutboundRefusedException;
import dev.podflow.store.Environment;
import dev.podflow.store.Json;
import io.a2a.client.http.A2ACardResolver;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.A2AClientError;
import io.a2a.spec.A2AClientException;
import io.a2a.spec.AgentCard;
import io.a2a.spec.EventKind;
import io.a2a.spec.Message;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.PushNotificationConfig;
import io.a2a.spec.Task;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskQueryParams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A pod's way to other agents over A2A (protocol 0.3, JSON-RPC): agent cards fetched through the
 * outbound guard and kept for {@link #CARD_TTL}, messages sent with the A2A SDK's transport on the
 * guard's HTTP client, and each exchange recorded as an {@value #A2A_CALL} event of the task (peer,
 * method, task id, state, duration, outcome) counted in {@code podflow_a2a_calls_total} and timed
 * in {@code podflow_a2a_call_seconds}. One per pod ({@link PodServices#components}); the pod closes
 * it. Thread-safe.
 */
public final class A2aPeers implements AutoCloseable {
  /** The event type of one exchange with a peer. */
  public static final String A2A_CALL = "a2a_call";

  /** How long a fetched agent card is used before it is fetched again. */
  static final Duration CARD_TTL = Duration.ofMinutes(5);

  private final OutboundGuard guard;
  private final HttpClient http;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Map<String, CachedCard> cards = new ConcurrentHashMap<>();

  private record CachedCard(AgentCard card, Instant fetchedAt) {}

  A2aPeers(OutboundGuard guard, MeterRegistry metrics, Clock clock) {
    this.guard = guard;
    this.metrics = metrics;
    this.clock = clock;
    this.http = guard.clientBuilder(List.of("Authorization"), client -> {}).build();
  }

  /**
   * The pod's peers, under the outbound guard its settings describe ({@code
   * PODFLOW_OUTBOUND_ALLOW}).
   */
  public static A2aPeers forPod(PodServices pod) {
    return pod.components()
        .get(
            A2aPeers.class,
            () ->
                new A2aPeers(
                    OutboundGuard.fromEnvironment(new Environment(pod.settings())),
                    pod.metrics(),
                    pod.clock()));
  }

  /**
   * The agent card at {@code cardUrl}, fetched at most every {@link #CARD_TTL}.
   *
   * @throws TaskFailedException permanent when the guard refuses the URL or it is not one;
   *     retryable when the card cannot be fetched or read
   */
  public AgentCard card(String cardUrl, PeerCall call) {
    CachedCard cached = cards.get(cardUrl);
    if (cached != null && cached.fetchedAt().plus(CARD_TTL).isAfter(clock.instant())) {
      return cached.card();
    }
    URI url = checked(cardUrl);
    try {
      AgentCard card =
          new A2ACardResolver(
                  new GuardedA2AHttpClient(http, call.timeout()),
                  cardUrl,
                  url.getRawPath(),
                  call.headers())
              .getAgentCard();
      cards.put(cardUrl, new CachedCard(card, clock.instant()));
      return card;
    } catch (A2AClientError e) {
      throw unreachable(cardUrl, "its agent card cannot be read", e);
    }
  }

  /**
   * Sends {@code message} to the agent of {@code card} ({@code message/send}), waiting up to {@code
   * timeout} for its answer: a {@link Message}, or a {@link Task} in whatever state it reached.
   * {@code blocking} asks the peer to answer only once its task is done (or needs input); {@code
   * push}, when not null, asks it to post each change of its task there.
   *
   * @throws TaskFailedException permanent when the guard refuses the card's URL; retryable when the
   *     peer cannot be reached, times out or answers with an error
   */
  public EventKind send(
      TaskContext task,
      AgentCard card,
      Message message,
      PeerCall call,
      boolean blocking,
      PushNotificationConfig push) {
    MessageSendConfiguration configuration =
        new MessageSendConfiguration.Builder()
            .blocking(blocking)
            .pushNotificationConfig(push)
            .build();
    MessageSendParams params = new MessageSendParams(message, configuration, Map.of());
    return exchange(
        task,
        card,
        "message/send",
        call,
        (transport, context) -> transport.sendMessage(params, context));
  }

  /**
   * The peer's task {@code peerTaskId} as it stands ({@code tasks/get}); failures as {@link #send}.
   */
  public Task get(TaskContext task, AgentCard card, String peerTaskId, PeerCall call) {
    return (Task)
        exchange(
            task,
            card,
            "tasks/get",
            call,
            (transport, context) -> transport.getTask(new TaskQueryParams(peerTaskId), context));
  }

  /**
   * Asks the peer to cancel its task ({@code tasks/cancel}); failures as {@link #send}. With no
   * {@code task} (a cleanup after the process was cancelled) no event is written, only metrics.
   */
  public Task cancel(TaskContext task, AgentCard card, String peerTaskId, PeerCall call) {
    return (Task)
        exchange(
            task,
            card,
            "tasks/cancel",
            call,
            (transport, context) -> transport.cancelTask(new TaskIdParams(peerTaskId), context));
  }

  private interface Exchange {
    EventKind with(JSONRPCTransport transport, ClientCallContext context) throws A2AClientException;
  }

  private EventKind exchange(
      TaskContext task, AgentCard card, String method, PeerCall call, Exchange exchange) {
    checked(card.url());
    long started = System.nanoTime();
    EventKind reply = null;
    String outcome = "unavailable";
    try {
      reply =
          exchange.with(
              transport(card, call.timeout()), new ClientCallContext(Map.of(), call.headers()));
      outcome = "ok";
      return reply;
    } catch (A2AClientException e) {
      throw unreachable(card.url(), method + " failed", e);
    } finally {
      record(task, card, method, reply, outcome, System.nanoTime() - started);
    }
  }

  /**
   * Posts {@code json} to {@code url} (a caller's webhook) through the outbound guard; the HTTP
   * status.
   *
   * @throws TaskFailedException when the guard refuses the URL (permanent) or it cannot be reached
   */
  public int post(String url, Map<String, String> headers, String json, Duration timeout) {
    URI target = checked(url);
    try {
      var response =
          new GuardedA2AHttpClient(http, timeout)
              .createPost()
              .url(url)
              .addHeaders(headers)
              .body(json)
              .post();
      return response.status();
    } catch (java.io.IOException e) {
      throw unreachable(target.toString(), "the push could not be delivered", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TaskFailedException.retryable("interrupted while pushing to " + shown(target));
    }
  }

  private JSONRPCTransport transport(AgentCard card, Duration timeout) {
    return new JSONRPCTransport(
        new GuardedA2AHttpClient(http, timeout), card, card.url(), List.of());
  }

  /** {@code text} as a URL the guard lets through. */
  private URI checked(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw TaskFailedException.permanent("'" + text + "' is not a URL: " + e.getReason());
    }
    try {
      guard.check(url);
    } catch (OutboundRefusedException e) {
      throw TaskFailedException.permanent(
          "A2A peer " + shown(url) + " is refused: " + e.getMessage());
    }
    return url;
  }

  private static TaskFailedException unreachable(String url, String what, Exception e) {
    return TaskFailedException.retryable(
        "A2A peer " + shown(URI.create(url)) + ": " + what + ": " + e.getMessage());
  }

  /** A URL for messages, events and metrics: scheme, host, port and path, never its query. */
  static String shown(URI url) {
    return url.getScheme()
        + "://"
        + url.getRawAuthority()
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  private void record(
      TaskContext task,
      AgentCard card,
      String method,
      EventKind reply,
      String outcome,
      long nanos) {
    String peer = URI.create(card.url()).getHost();
    Counter.builder("podflow_a2a_calls_total")
        .description("Exchanges with A2A peers, by peer host, method and outcome")
        .tags("peer", peer, "method", method, "outcome", outcome)
        .register(metrics)
        .increment();
    Timer.builder("podflow_a2a_call_seconds")
        .description("Time one exchange with an A2A peer took, failed ones included")
        .tags("peer", peer, "method", method)
        .publishPercentileHistogram()
        .register(metrics)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (task == null) return; // a cleanup after a cancel: the task's timeline has ended
    ObjectNode payload =
        Json.object()
            .put("peer", card.name())
            .put("url", shown(URI.create(card.url())))
            .put("method", method)
            .put("durationMs", TimeUnit.NANOSECONDS.toMillis(nanos))
            .put("outcome", outcome);
    if (reply instanceof Task peerTask) {
      payload.put("taskId", peerTask.getId()).put("state", peerTask.getStatus().state().asString());
    } else if (reply instanceof Message) {
      payload.put("state", "message");
    }
    task.recordEvent(A2A_CALL, payload);
  }

  @Override
  public void close() {
    http.close();
  }
}
