package dev.podflow.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.event.Event;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.A2aPeer;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code a2a} step against a real A2A peer ({@code @a2a-js/sdk}, protocol 1.0 with its 0.3
 * compatibility layer, from npm): a message answer, a completed task's artifacts, a peer task that
 * fails, a peer that never answers, a URL the outbound guard refuses. Each exchange is an {@code
 * a2a_call} event and counts in the metrics.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class A2aStepTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static A2aPeer peer;

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private TestDatabase db;
  private AgentPod pod;

  @BeforeAll
  static void startPeer() {
    peer = A2aPeer.start(Map.of());
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  @AfterEach
  void stopPod() {
    if (pod != null) pod.stop();
  }

  private void startPod(TestDatabase db, String outboundAllow) {
    this.db = db;
    pod =
        new AgentPod(
                PodConfig.defaults("a2a-pod")
                    .withSettings(Map.of("PODFLOW_OUTBOUND_ALLOW", outboundAllow)),
                db.database(),
                OrchestratorRegistry.discover(),
                metrics)
            .start();
  }

  private UUID run(String message, int replyTimeoutSeconds, String cardUrl) {
    return run(
        Json.object()
            .put("agentCardUrl", cardUrl)
            .put("message", message)
            .put("replyTimeoutSeconds", replyTimeoutSeconds));
  }

  private UUID run(ObjectNode config) {
    ObjectNode definition = Json.object().put("id", "delegate");
    definition
        .putArray("activities")
        .addObject()
        .put("id", "ask-peer")
        .put("orchestrator", "a2a")
        .put("maxAttempts", 1)
        .set("config", config);
    Engine engine = engine(db);
    engine
        .catalog()
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.withFastRetries(definition));
    return engine
        .starter()
        .start(
            new StartCommand(
                "delegate",
                Json.object().put("topic", "invoices"),
                null,
                null,
                StartCommand.DEFAULT_TENANT,
                null))
        .instance()
        .id();
  }

  private static Engine engine(TestDatabase db) {
    return new Engine(
        db.database().jdbi(),
        new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover()),
        Notifier.inline(db.database().jdbi()));
  }

  private String awaitFinished(UUID instance) {
    Eventually.await(
        PATIENCE,
        "instance finished",
        () -> List.of("COMPLETED", "ERROR").contains(db.instanceStatus(instance)));
    return db.instanceStatus(instance);
  }

  private Task task(UUID instance) {
    return db.database()
        .jdbi()
        .withHandle(h -> h.attach(TaskDao.class).taskListByInstance(instance))
        .getFirst();
  }

  private List<Event> calls(UUID instance) {
    return new EventLog(db).of(instance, A2aPeers.A2A_CALL);
  }

  @Test
  void aMessageAnswerBecomesTheOutput(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance = run("echo: about {{input.topic}}", 10, peer.cardUrl());

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("echo: about invoices");
    JsonNode call = calls(instance).getFirst().payload();
    assertThat(call.path("peer").asText()).isEqualTo("Podflow test peer");
    assertThat(call.path("method").asText()).isEqualTo("message/send");
    assertThat(call.path("state").asText()).isEqualTo("message");
    assertThat(call.path("outcome").asText()).isEqualTo("ok");
    assertThat(
            metrics
                .get("podflow_a2a_calls_total")
                .tags("peer", "127.0.0.1", "outcome", "ok")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aCompletedTasksArtifactsBecomeTheOutput(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance = run("task: {{input.topic}}", 10, peer.cardUrl());

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    JsonNode output = task(instance).output();
    assertThat(output.path("text").asText()).isEqualTo("done: invoices");
    assertThat(output.path("artifacts").get(0).path("name").asText()).isEqualTo("result");
    assertThat(output.path("taskId").asText()).isNotBlank();
    JsonNode call = calls(instance).getFirst().payload();
    assertThat(call.path("state").asText()).isEqualTo("completed");
    assertThat(call.path("taskId").asText()).isEqualTo(output.path("taskId").asText());
  }

  @Test
  void aLongRunningPeerTaskIsPolledWithoutHoldingThePod(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance =
        run(
            Json.object()
                .put("agentCardUrl", peer.cardUrl())
                .put("message", "slow: {{input.topic}}")
                .put("blocking", false));

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("done: invoices");
    assertThat(task(instance).attempts()).as("polls count no attempt").isEqualTo(1);
    assertThat(new EventLog(db).of(instance, "task_poll_scheduled")).isNotEmpty();
    List<String> methods =
        calls(instance).stream().map(e -> e.payload().path("method").asText()).toList();
    assertThat(methods.getFirst()).isEqualTo("message/send");
    assertThat(methods.getLast()).isEqualTo("tasks/get");
    assertThat(calls(instance).getFirst().payload().path("state").asText()).isEqualTo("submitted");
    assertThat(calls(instance).getLast().payload().path("state").asText()).isEqualTo("completed");
  }

  @Test
  void aPeerTaskStillRunningAfterMaxWaitIsCancelledAndFailsTheStep(TestDatabase db) {
    startPod(db, "127.0.0.1/32");
    UUID instance;
    try (A2aPeer slow = A2aPeer.start(Map.of("PEER_SLOW_MS", "30000"))) {
      instance =
          run(
              Json.object()
                  .put("agentCardUrl", slow.cardUrl())
                  .put("message", "slow: too long")
                  .put("blocking", false)
                  .put("maxWaitSeconds", 1));
      assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    }
    assertThat(task(instance).lastError()).contains("maxWaitSeconds", "asked to cancel");
    assertThat(calls(instance).stream().map(e -> e.payload().path("method").asText()))
        .contains("tasks/cancel");
  }

  @Test
  void aPeerAskingForInputAsksAPersonAndGetsTheAnswerInTheSameTask(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance =
        run(
            Json.object()
                .put("agentCardUrl", peer.cardUrl())
                .put("message", "ask: who is there")
                .put("assignee", "ada"));

    Eventually.await(
        PATIENCE, "the question waits", () -> db.instanceStatus(instance).equals("WAITING"));
    Task waiting = task(instance);
    assertThat(waiting.waitingFor().name()).isEqualTo("ANSWER");
    assertThat(waiting.assignee()).isEqualTo("ada");
    assertThat(waiting.form().path("description").asText()).isEqualTo("What is your name?");
    engine(db).suspensions().answer(waiting.id(), Json.object().put("text", "Ada"), "ada");

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("hello Ada");
    List<Event> calls = calls(instance);
    assertThat(calls.getFirst().payload().path("state").asText()).isEqualTo("input-required");
    assertThat(calls.getLast().payload().path("taskId").asText())
        .as("the answer goes to the same peer task")
        .isEqualTo(calls.getFirst().payload().path("taskId").asText());
  }

  @Test
  void cancellingTheProcessCancelsThePeersTaskFromTheOutbox(TestDatabase db) throws Exception {
    startPod(db, "127.0.0.1/32");
    try (A2aPeer slow = A2aPeer.start(Map.of("PEER_SLOW_MS", "60000"))) {
      UUID instance = runSlowAt(slow);
      String peerTaskId = awaitPeerTask(instance);

      engine(db).instances().cancel(instance, "test");

      Eventually.await(
          PATIENCE,
          "the cleanup carried out",
          () ->
              db.number(
                      "SELECT count(*) FROM task_cleanups WHERE finished_at IS NOT NULL"
                          + " AND last_error IS NULL")
                  == 1);
      assertThat(peerTaskState(slow, peerTaskId)).isEqualTo("canceled");
    }
  }

  @Test
  void aCleanupThatCannotReachThePeerIsTriedAgainLater(TestDatabase db) throws Exception {
    startPod(db, "127.0.0.1/32");
    A2aPeer slow = A2aPeer.start(Map.of("PEER_SLOW_MS", "60000"));
    int port = slow.port();
    UUID instance = runSlowAt(slow);
    awaitPeerTask(instance);
    slow.close();

    engine(db).instances().cancel(instance, "test");

    Eventually.await(
        PATIENCE,
        "a failed attempt",
        () ->
            db.number(
                    "SELECT count(*) FROM task_cleanups WHERE attempts >= 1"
                        + " AND last_error IS NOT NULL AND finished_at IS NULL")
                == 1);
    try (A2aPeer back = A2aPeer.start(Map.of("PORT", Integer.toString(port)))) {
      Eventually.await(
          PATIENCE,
          "the cleanup done once the peer answers",
          () -> db.number("SELECT count(*) FROM task_cleanups WHERE finished_at IS NOT NULL") == 1);
    }
    assertThat(db.number("SELECT attempts FROM task_cleanups")).isGreaterThanOrEqualTo(2);
  }

  private UUID runSlowAt(A2aPeer slow) {
    return run(
        Json.object()
            .put("agentCardUrl", slow.cardUrl())
            .put("message", "slow: long work")
            .put("blocking", false));
  }

  /** Waits until the step waits for its peer task; its id. */
  private String awaitPeerTask(UUID instance) {
    String sql =
        "SELECT checkpoint->'state'->>'peerTaskId' FROM todolist WHERE proc_inst_id = '"
            + instance
            + "' AND status = 'PENDING'";
    Eventually.await(
        PATIENCE,
        "the step waits for its peer task",
        () -> db.number("SELECT count(*) FROM (" + sql + ") w WHERE w IS NOT NULL") == 1);
    return db.text(sql);
  }

  /** The state of the peer's task, as the peer answers tasks/get. */
  private static String peerTaskState(A2aPeer peer, String peerTaskId) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\",\"params\":{\"id\":\""
            + peerTaskId
            + "\"}}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + peer.port() + "/a2a/jsonrpc"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return Json.parse(response.body()).at("/result/status/state").asText();
  }

  @Test
  void anAgentProfileNamesThePeerAndTheTenantSecretItsTokenComesFrom(TestDatabase db) {
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    this.db = db;
    pod =
        new AgentPod(
                PodConfig.defaults("a2a-pod")
                    .withSettings(
                        Map.of(
                            "PODFLOW_OUTBOUND_ALLOW", "127.0.0.1/32", "PODFLOW_SECRETS_KEY", key)),
                db.database(),
                OrchestratorRegistry.discover(),
                metrics)
            .start();
    SecretCipher cipher = SecretCipher.fromBase64Key(key);
    try (A2aPeer guarded = A2aPeer.start(Map.of("PEER_TOKEN", "peer-s3cret"))) {
      db.database()
          .jdbi()
          .useHandle(
              h -> {
                h.attach(SecretDao.class)
                    .secretPut(
                        StartCommand.DEFAULT_TENANT,
                        "LEGAL_TOKEN",
                        cipher.encrypt(StartCommand.DEFAULT_TENANT, "LEGAL_TOKEN", "peer-s3cret"));
                AgentDao agents = h.attach(AgentDao.class);
                agents.agentUpsert(
                    StartCommand.DEFAULT_TENANT,
                    "legal",
                    "Legal",
                    "",
                    "",
                    null,
                    Json.MAPPER.createArrayNode(),
                    "a2a",
                    Json.object()
                        .put("agentCardUrl", guarded.cardUrl())
                        .put("credentials", "LEGAL_TOKEN"),
                    null);
                agents.agentUpsert(
                    StartCommand.DEFAULT_TENANT,
                    "anonymous",
                    "Anonymous",
                    "",
                    "",
                    null,
                    Json.MAPPER.createArrayNode(),
                    "a2a",
                    Json.object().put("agentCardUrl", guarded.cardUrl()),
                    null);
              });

      UUID trusted =
          run(Json.object().put("agent", "legal").put("message", "echo: {{input.topic}}"));
      assertThat(awaitFinished(trusted)).isEqualTo("COMPLETED");
      assertThat(task(trusted).output().path("text").asText()).isEqualTo("echo: invoices");
      assertThat(new EventLog(db).of(trusted).toString()).doesNotContain("peer-s3cret");

      UUID refused = run(Json.object().put("agent", "anonymous").put("message", "echo: hi"));
      assertThat(awaitFinished(refused)).isEqualTo("ERROR");
      assertThat(task(refused).lastError()).contains("message/send failed");
    }
  }

  @Test
  void aFailedPeerTaskFailsTheStepWithThePeersMessage(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance = run("fail: the ledger is closed", 10, peer.cardUrl());

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    assertThat(task(instance).lastError()).contains("failed", "the ledger is closed");
    assertThat(calls(instance).getFirst().payload().path("state").asText()).isEqualTo("failed");
  }

  @Test
  void aPeerThatNeverAnswersTimesOutNamingIt(TestDatabase db) {
    startPod(db, "127.0.0.1/32");

    UUID instance = run("hang", 1, peer.cardUrl());

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    assertThat(task(instance).lastError()).contains("A2A peer", "127.0.0.1", "message/send");
    assertThat(calls(instance).getFirst().payload().path("outcome").asText())
        .isEqualTo("unavailable");
  }

  @Test
  void aLoopbackPeerIsRefusedWithoutTheAllowSetting(TestDatabase db) {
    startPod(db, "");

    UUID instance = run("echo: hi", 10, peer.cardUrl());

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    assertThat(task(instance).lastError())
        .contains("refused", "loopback", "PODFLOW_OUTBOUND_ALLOW");
    assertThat(calls(instance)).isEmpty();
  }
}
