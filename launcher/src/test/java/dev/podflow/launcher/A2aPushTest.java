package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.testing.A2aPeer;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long-running A2A peer tasks woken by the peer's push notifications through the API's webhook,
 * with three pods: a step whose next poll is 30 s away completes within seconds of the peer
 * finishing; many pushes at once, the peer's and extra ones with the right token, complete every
 * step exactly once; a forged push changes nothing.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class A2aPushTest {
  private static final Duration PATIENCE = Duration.ofSeconds(25);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AgentPod> pods = new ArrayList<>();
  private TestDatabase db;
  private ExecutionApi api;
  private A2aPeer peer;
  private Engine engine;

  @BeforeEach
  void start(TestDatabase db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db.database(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0));
    peer = A2aPeer.start(Map.of("PEER_SLOW_MS", "2000"));
    Map<String, String> settings =
        Map.of(
            "PODFLOW_OUTBOUND_ALLOW",
            "127.0.0.1/32",
            "PODFLOW_PUBLIC_URL",
            "http://127.0.0.1:" + api.port());
    for (int i = 0; i < 3; i++) {
      pods.add(
          new AgentPod(
                  PodConfig.defaults("push-pod-" + i).withSettings(settings),
                  db.database(),
                  OrchestratorRegistry.discover(),
                  new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
              .start());
    }
    engine =
        new Engine(
            db.database().jdbi(),
            new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.database().jdbi()));
    publish("delegate", peer);
  }

  /** A definition whose one step hands "slow: <n>" to {@code peer}, not blocking. */
  private void publish(String id, A2aPeer peer) {
    ObjectNode definition = Json.object().put("id", id);
    definition
        .putArray("activities")
        .addObject()
        .put("id", "ask-peer")
        .put("orchestrator", "a2a")
        .put("maxAttempts", 1)
        .putObject("config")
        .put("agentCardUrl", peer.cardUrl())
        .put("message", "slow: {{input.n}}")
        .put("blocking", false);
    engine.catalog().publish(StartCommand.DEFAULT_TENANT, "test", definition);
  }

  @AfterEach
  void stop() {
    pods.forEach(AgentPod::stop);
    api.close();
    peer.close();
  }

  private UUID start(String definitionId, int n) {
    return engine
        .starter()
        .start(
            new StartCommand(
                definitionId,
                Json.object().put("n", n),
                null,
                null,
                StartCommand.DEFAULT_TENANT,
                null))
        .instance()
        .id();
  }

  @Test
  void pushesWakeTheWaitingStepsAndManyAtOnceCompleteEachExactlyOnce() throws Exception {
    Instant started = Instant.now();
    List<UUID> instances = new ArrayList<>();
    for (int n = 0; n < 6; n++) instances.add(start("delegate", n));

    // Extra pushes with each step's own token, many at once, while the peer works.
    Eventually.await(
        PATIENCE,
        "every step waits for its peer task",
        () ->
            db.number(
                    "SELECT count(*) FROM todolist WHERE checkpoint->'state'->>'peerTaskId' IS NOT NULL"
                        + " AND status = 'PENDING'")
                == 6);
    ExecutorService pushers = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> pushes = new ArrayList<>();
      for (var row : waitingTokens()) {
        for (int i = 0; i < 5; i++) {
          pushes.add(pushers.submit(() -> push(row.taskId(), row.token())));
        }
      }
      for (Future<Integer> push : pushes) assertThat(push.get()).isIn(204, 404);
    } finally {
      pushers.shutdownNow();
    }

    for (UUID instance : instances) {
      Eventually.await(
          PATIENCE, "process finished", () -> !db.instanceStatus(instance).equals("RUNNING"));
      assertThat(db.instanceStatus(instance)).isEqualTo("COMPLETED");
      assertThat(new EventLog(db).of(instance, "task_completed")).hasSize(1);
    }
    assertThat(Duration.between(started, Instant.now()))
        .as("woken by pushes, not by the 30 s poll")
        .isLessThan(Duration.ofSeconds(25));
    assertThat(db.text("SELECT string_agg(DISTINCT output->>'text', ',') FROM todolist"))
        .contains("done: 0", "done: 5");
  }

  @Test
  void aForgedPushChangesNothing() {
    try (A2aPeer slowPeer = A2aPeer.start(Map.of("PEER_SLOW_MS", "120000"))) {
      publish("delegate-long", slowPeer);
      forgedPushChangesNothing(start("delegate-long", 7));
    }
  }

  private void forgedPushChangesNothing(UUID instance) {
    long taskId = db.number("SELECT id FROM todolist WHERE proc_inst_id = '" + instance + "'");
    // The peer pushes its task's first changes at once; once those polls are done, the step waits
    // 30 s or more with nothing else due, and its run_after stays put.
    String runAfter = "SELECT run_after::text FROM todolist WHERE id = " + taskId;
    Eventually.await(
        PATIENCE,
        "the step waits, its first pushes handled",
        () -> {
          if (db.number(
                  "SELECT count(*) FROM todolist WHERE id = "
                      + taskId
                      + " AND status = 'PENDING'"
                      + " AND checkpoint->'state'->>'peerTaskId' IS NOT NULL")
              == 0) {
            return false;
          }
          String first = db.text(runAfter);
          sleep(1500);
          return first.equals(db.text(runAfter));
        });
    String before = db.text(runAfter);

    assertThat(push(taskId, "forged-token")).isEqualTo(404);
    assertThat(push(taskId + 1, waitingTokens().getFirst().token()))
        .as("another task")
        .isEqualTo(404);

    assertThat(db.text(runAfter)).isEqualTo(before);
    assertThat(db.instanceStatus(instance)).isEqualTo("RUNNING");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Waiting(long taskId, String token) {}

  private List<Waiting> waitingTokens() {
    return db.database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, checkpoint->'state'->>'wakeToken' AS token FROM todolist"
                            + " WHERE status = 'PENDING' AND checkpoint->'state'->>'peerTaskId' IS NOT NULL")
                    .map((rs, ctx) -> new Waiting(rs.getLong("id"), rs.getString("token")))
                    .list());
  }

  private int push(long taskId, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/webhooks/a2a/" + taskId))
            .header("Content-Type", "application/json")
            .header("X-A2A-Notification-Token", token)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
