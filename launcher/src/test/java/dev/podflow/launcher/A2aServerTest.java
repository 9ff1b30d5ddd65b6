package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Podflow's A2A server, called by Podflow's own {@code a2a} step: tenant {@code default} delegates
 * a step to tenant {@code beta}'s definition published as an agent, through the protocol (its
 * public card, JSON-RPC with beta's API key kept as default's secret), and gets beta's output; a
 * raw JSON-RPC client sees the same task, and other tenants' credentials see no agent.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class A2aServerTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final Duration PATIENCE = Duration.ofSeconds(40);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AgentPod> pods = new ArrayList<>();
  private TestDatabase db;
  private ExecutionApi api;
  private Engine engine;
  private String betaKey;

  @BeforeEach
  void start(TestDatabase db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db.database(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0)
                .withMcpAdmission(
                    new McpAdmission(
                        new StdioCommands(List.of(), null),
                        new OutboundGuard(List.of("127.0.0.1/32")),
                        List.of())));
    for (int i = 0; i < 2; i++) {
      pods.add(
          new AgentPod(
                  PodConfig.defaults("server-pod-" + i)
                      .withSettings(
                          Map.of(
                              "PODFLOW_OUTBOUND_ALLOW",
                              "127.0.0.1/32",
                              "PODFLOW_SECRETS_KEY",
                              KEY)),
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
    betaKey =
        new ApiKeys(db.database().jdbi(), Clock.systemUTC())
            .create("beta", Role.USER, "caller", null, "test")
            .wholeKey();
    engine
        .catalog()
        .publish(
            "beta",
            "test",
            Json.parse(
                """
                {"id":"legal","name":"Legal review",
                 "a2a":{"description":"Reviews clauses.","skills":[{"id":"review",
                   "name":"Review","description":"Reviews one clause."}]},
                 "activities":[{"id":"review","orchestrator":"noop"}]}"""));
  }

  @AfterEach
  void stop() {
    pods.forEach(AgentPod::stop);
    api.close();
  }

  private String cardUrl() {
    return "http://127.0.0.1:" + api.port() + "/a2a/beta/legal/.well-known/agent-card.json";
  }

  @Test
  void oneTenantsStepDelegatesToAnothersProcessThroughTheProtocol() {
    SecretCipher cipher = SecretCipher.fromBase64Key(KEY);
    db.database()
        .jdbi()
        .useHandle(
            h -> {
              h.attach(SecretDao.class)
                  .secretPut(
                      StartCommand.DEFAULT_TENANT,
                      "BETA_KEY",
                      cipher.encrypt(StartCommand.DEFAULT_TENANT, "BETA_KEY", betaKey));
              h.attach(AgentDao.class)
                  .agentUpsert(
                      StartCommand.DEFAULT_TENANT,
                      "legal",
                      "Beta's legal review",
                      "",
                      "",
                      null,
                      Json.MAPPER.createArrayNode(),
                      "a2a",
                      Json.object().put("agentCardUrl", cardUrl()).put("credentials", "BETA_KEY"),
                      null);
            });
    engine
        .catalog()
        .publish(
            StartCommand.DEFAULT_TENANT,
            "test",
            Json.parse(
                """
                {"id":"contract","activities":[{"id":"ask-beta","orchestrator":"a2a",
                  "maxAttempts":1,"config":{"agent":"legal",
                  "message":"Review: {{input.clause}}"}}]}"""));

    UUID instance =
        engine
            .starter()
            .start(
                new StartCommand(
                    "contract",
                    Json.object().put("clause", "Payment within 30 days."),
                    null,
                    null,
                    StartCommand.DEFAULT_TENANT,
                    null))
            .instance()
            .id();

    Eventually.await(
        PATIENCE,
        "the delegating process finished",
        () -> List.of("COMPLETED", "ERROR").contains(db.instanceStatus(instance)));
    assertThat(db.instanceStatus(instance))
        .as(
            db.text(
                "SELECT coalesce(last_error, '') FROM todolist WHERE proc_inst_id = '"
                    + instance
                    + "'"))
        .isEqualTo("COMPLETED");
    JsonNode output =
        Json.parse(
            db.text("SELECT output::text FROM todolist WHERE proc_inst_id = '" + instance + "'"));
    assertThat(output.at("/data/text").asText()).isEqualTo("Review: Payment within 30 days.");
    String betaProcess = output.path("taskId").asText();
    assertThat(
            db.text("SELECT tenant_id FROM bpm_proc_inst WHERE id::text = '" + betaProcess + "'"))
        .isEqualTo("beta");
    assertThat(new EventLog(db).of(instance, "a2a_call").toString()).doesNotContain(betaKey);
  }

  @Test
  void aJsonRpcClientStartsReadsAndCancelsAndOtherTenantsSeeNoAgent() throws Exception {
    JsonNode card = Json.parse(get(cardUrl()).body());
    assertThat(card.path("skills").get(0).path("id").asText()).isEqualTo("review");
    String endpoint = card.path("url").asText();

    JsonNode sent =
        rpc(
            endpoint,
            betaKey,
            """
            {"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{
              "kind":"message","role":"user","messageId":"m-1",
              "parts":[{"kind":"text","text":"Clause 7"},{"kind":"data","data":{"urgent":true}}]}}}""");
    assertThat(sent.at("/result/status/state").asText()).isEqualTo("completed");
    assertThat(sent.at("/result/artifacts/0/parts/0/data/text").asText()).isEqualTo("Clause 7");
    assertThat(sent.at("/result/artifacts/0/parts/0/data/urgent").asBoolean()).isTrue();
    String taskId = sent.at("/result/id").asText();

    String first =
        """
        {"jsonrpc":"2.0","id":2,"method":"message/send","params":{"message":{
          "kind":"message","role":"user","messageId":"m-1",
          "parts":[{"kind":"text","text":"Clause 7"},{"kind":"data","data":{"urgent":true}}]}}}""";
    JsonNode again = rpc(endpoint, betaKey, first);
    assertThat(again.at("/result/id").asText()).as("the same message again").isEqualTo(taskId);
    JsonNode changed =
        rpc(
            endpoint,
            betaKey,
            """
            {"jsonrpc":"2.0","id":2,"method":"message/send","params":{"message":{
              "kind":"message","role":"user","messageId":"m-1",
              "parts":[{"kind":"text","text":"Clause 8"}]}}}""");
    assertThat(changed.at("/error/code").asInt())
        .as("the same id, another message")
        .isEqualTo(-32602);

    JsonNode got =
        rpc(
            endpoint,
            betaKey,
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tasks/get\",\"params\":{\"id\":\""
                + taskId
                + "\"}}");
    assertThat(got.at("/result/status/state").asText()).isEqualTo("completed");
    JsonNode cancel =
        rpc(
            endpoint,
            betaKey,
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/cancel\",\"params\":{\"id\":\""
                + taskId
                + "\"}}");
    assertThat(cancel.at("/error/code").asInt()).as("a finished task").isEqualTo(-32002);

    String defaultKey =
        new ApiKeys(db.database().jdbi(), Clock.systemUTC())
            .create(StartCommand.DEFAULT_TENANT, Role.ADMIN, null, null, "test")
            .wholeKey();
    assertThat(
            post(endpoint, defaultKey, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\"}")
                .statusCode())
        .isEqualTo(404);
    assertThat(post(endpoint, null, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void aProcessWaitingForItsCallerAsksForInputAndTheNextMessageAnswersIt() throws Exception {
    engine
        .catalog()
        .publish(
            "beta",
            "test",
            Json.parse(
                """
                {"id":"approve","a2a":{"description":"Asks before it goes on.","skills":[
                  {"id":"approve","name":"Approve","description":"Waits for a yes."}]},
                 "activities":[
                   {"id":"confirm","orchestrator":"human","config":{"assignee":"caller",
                     "form":{"type":"object","required":["text"],
                             "properties":{"text":{"type":"string"}}}}},
                   {"id":"done","orchestrator":"noop"}]}"""));
    String endpoint = "http://127.0.0.1:" + api.port() + "/a2a/beta/approve";

    JsonNode asked =
        rpc(
            endpoint,
            betaKey,
            """
            {"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{
              "kind":"message","role":"user","messageId":"q-1",
              "parts":[{"kind":"text","text":"Ship order 17?"}]}}}""");
    assertThat(asked.at("/result/status/state").asText()).isEqualTo("input-required");
    assertThat(asked.at("/result/status/message/parts/0/text").asText()).contains("confirm");
    String taskId = asked.at("/result/id").asText();

    JsonNode answered =
        rpc(
            endpoint,
            betaKey,
            """
            {"jsonrpc":"2.0","id":2,"method":"message/send","params":{"message":{
              "kind":"message","role":"user","messageId":"q-2","taskId":"%s",
              "parts":[{"kind":"text","text":"yes"}]}}}"""
                .formatted(taskId));
    assertThat(answered.at("/result/status/state").asText()).isEqualTo("completed");
    assertThat(answered.at("/result/artifacts/0/parts/0/data/text").asText()).isEqualTo("yes");

    JsonNode again =
        rpc(
            endpoint,
            betaKey,
            """
            {"jsonrpc":"2.0","id":3,"method":"message/send","params":{"message":{
              "kind":"message","role":"user","messageId":"q-3","taskId":"%s",
              "parts":[{"kind":"text","text":"yes"}]}}}"""
                .formatted(taskId));
    assertThat(again.at("/error/code").asInt()).as("nothing waits any more").isEqualTo(-32602);
  }

  @Test
  void messageStreamSendsTheTaskThenEachChangeUntilTheFinalOne() throws Exception {
    engine
        .catalog()
        .publish(
            "beta",
            "test",
            Json.parse(
                """
                {"id":"slow","a2a":{"description":"Takes a moment.","skills":[
                  {"id":"wait","name":"Wait","description":"Waits a second."}]},
                 "activities":[{"id":"pause","orchestrator":"sleep","config":{"ms":1000}},
                               {"id":"done","orchestrator":"noop"}]}"""));
    HttpResponse<String> streamed =
        post(
            "http://127.0.0.1:" + api.port() + "/a2a/beta/slow",
            betaKey,
            """
            {"jsonrpc":"2.0","id":9,"method":"message/stream","params":{"message":{
              "kind":"message","role":"user","messageId":"s-1",
              "parts":[{"kind":"text","text":"take your time"}]}}}""");
    assertThat(streamed.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<JsonNode> events =
        streamed
            .body()
            .lines()
            .filter(line -> line.startsWith("data: "))
            .map(line -> Json.parse(line.substring(6)).path("result"))
            .toList();
    assertThat(events.getFirst().path("kind").asText()).isEqualTo("task");
    assertThat(events.getFirst().at("/status/state").asText()).isEqualTo("working");
    assertThat(events.stream().map(e -> e.path("kind").asText()))
        .contains("artifact-update", "status-update");
    JsonNode last = events.getLast();
    assertThat(last.path("final").asBoolean()).isTrue();
    assertThat(last.at("/status/state").asText()).isEqualTo("completed");
  }

  @Test
  void aCallersWebhookGetsEachStateOfItsTaskWithItsToken() throws Exception {
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              exchange.getRequestHeaders().getFirst("X-A2A-Notification-Token") + " " + body);
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hook.start();
    try {
      String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
      JsonNode sent =
          rpc(
              "http://127.0.0.1:" + api.port() + "/a2a/beta/legal",
              betaKey,
              """
              {"jsonrpc":"2.0","id":1,"method":"message/send","params":{
                "configuration":{"pushNotificationConfig":{"url":"%s","token":"t-1"}},
                "message":{"kind":"message","role":"user","messageId":"p-1",
                  "parts":[{"kind":"text","text":"Clause 11"}]}}}"""
                  .formatted(url));
      assertThat(sent.at("/result/status/state").asText()).isEqualTo("completed");
      Eventually.await(
          PATIENCE,
          "the completed task pushed",
          () -> received.stream().anyMatch(r -> r.contains("\"completed\"")));
      String completed =
          received.stream().filter(r -> r.contains("\"completed\"")).findFirst().orElseThrow();
      assertThat(completed).startsWith("t-1 ");
      assertThat(Json.parse(completed.substring(4)).at("/artifacts/0/parts/0/data/text").asText())
          .isEqualTo("Clause 11");
      Eventually.await(
          PATIENCE,
          "a webhook whose final state was delivered is never claimed again",
          () ->
              db.number(
                      "SELECT count(*) FROM a2a_push_configs WHERE delivered_state = 'completed'"
                          + " AND next_attempt_at = 'infinity'")
                  == 1);

      JsonNode refused =
          rpc(
              "http://127.0.0.1:" + api.port() + "/a2a/beta/legal",
              betaKey,
              """
              {"jsonrpc":"2.0","id":2,"method":"tasks/pushNotificationConfig/set","params":{
                "taskId":"%s","pushNotificationConfig":{"url":"http://10.1.2.3/hook"}}}"""
                  .formatted(sent.at("/result/id").asText()));
      assertThat(refused.at("/error/message").asText()).contains("refused");
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void theA2aJsClientFromNpmRunsAProcessThroughTheServer() throws Exception {
    Path script = NpmTools.modules().getParent().resolve("a2a-client.mjs");
    Process client =
        new ProcessBuilder(
                NpmTools.node().toString(), script.toString(), cardUrl(), betaKey, "Clause 9")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(out).isZero();

    JsonNode task = Json.parse(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(task.path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    assertThat(task.at("/data/0/text").asText()).isEqualTo("Clause 9");
    assertThat(
            db.text(
                "SELECT tenant_id FROM bpm_proc_inst WHERE id::text = '"
                    + task.path("id").asText()
                    + "'"))
        .isEqualTo("beta");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode rpc(String endpoint, String key, String body) throws Exception {
    HttpResponse<String> response = post(endpoint, key, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private HttpResponse<String> post(String endpoint, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) request.header("Authorization", "Bearer " + key);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
