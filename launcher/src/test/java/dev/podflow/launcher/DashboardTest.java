package dev.podflow.launcher;

import static dev.podflow.launcher.ApiCalls.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.mcp.McpConfigFile;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.notifier.NotifierService;
import dev.podflow.notifier.NotifierSettings;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.OpsServer;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.A2aPeer;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's dashboard, proven: a real Prometheus scrapes a real API, two real pods and a real
 * notifier (in this JVM, each with its own registry and {@code /metrics} port, as separate
 * processes would have) while they run real processes — noop and sleep steps, an llm-action against
 * the scripted model, an MCP tool and an A2A peer, a human step whose notification the notifier
 * sends, a step that fails, retries and dies — and then every PromQL target of {@code
 * grafana/podflow-dashboard.json}, Grafana's macros substituted, must run without error and return
 * data. Targets of panels marked {@code "podflowNeeds": "kube-state-metrics"} need Kubernetes' own
 * metrics: they must parse and run, but may be empty here.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DashboardTest {
  private static final Path DASHBOARD = Path.of("..", "grafana", "podflow-dashboard.json");
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  // What Grafana would put in for a 1 s scrape and the last hour, wide enough for every sample
  // here.
  private static final Map<String, String> MACROS =
      Map.of("$__rate_interval", "1m", "$__interval", "15s", "$__range", "1h");

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable part : running.reversed()) part.close();
    running.clear();
  }

  @Test
  void everyPanelOfTheDashboardHasDataFromARealRun(TestDatabase testDb) throws Exception {
    JsonNode dashboard = Json.parse(Files.readString(DASHBOARD));
    ScriptedLlmServer llm = add(ScriptedLlmServer.start()).answerBy(request -> "an answer");
    A2aPeer peer = add(A2aPeer.start(Map.of()));
    testDb
        .database()
        .jdbi()
        .useHandle(h -> h.execute("INSERT INTO users (tenant_id, id) VALUES ('default', 'alice')"));

    Map<String, List<String>> jobs = new LinkedHashMap<>();
    Database apiLogin = add(Database.connect(testDb.config().withPool(2, "dash-api-login")));
    ExecutionApi api = add(ExecutionApi.start(apiLogin, meters(apiLogin), ApiSettings.onPort(0)));
    jobs.put("podflow-api", List.of("127.0.0.1:" + api.port()));
    List<String> pods = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      pods.add("127.0.0.1:" + startPod(testDb, "dash-pod-" + i, podSettings(llm)));
    }
    jobs.put("podflow-pod", pods);
    jobs.put("podflow-notifier", List.of("127.0.0.1:" + startNotifier(testDb)));
    PrometheusServer prometheus = add(PrometheusServer.start(jobs));
    Eventually.await(PATIENCE, "every target scraped", () -> prometheus.allTargetsUp(4));

    runProcesses(new ApiCalls(api.port()), adminKey(testDb), peer, testDb);
    // The API samples the queue every 5 s, and the depth has series once it has seen a task of an
    // orchestrator (the human step stays WAITING): wait for a sample that saw one to be scraped.
    Eventually.await(
        PATIENCE,
        "a queue depth sample scraped",
        () -> !prometheus.query("podflow_queue_depth").path("data").path("result").isEmpty());
    Thread.sleep(3_000); // a few scrapes after the last increments, so every rate sees them

    JsonNode variable = dashboard.path("templating").path("list").get(0);
    assertThat(variable.path("type").asText() + " " + variable.path("query").asText())
        .isEqualTo("datasource prometheus");
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      boolean needsKubernetes = panel.path("podflowNeeds").asText().equals("kube-state-metrics");
      assertThat(panel.path("datasource").path("uid").asText())
          .as("panel '%s' queries the dashboard's datasource variable", panel.path("title"))
          .isEqualTo("${datasource}");
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(needsKubernetes || !expr.contains("kube_"))
            .as(
                "panel '%s' reads kube-state-metrics but is not marked podflowNeeds",
                panel.path("title"))
            .isTrue();
        JsonNode answer = prometheus.query(substitute(expr));
        checked++;
        String where = "'" + panel.path("title").asText() + "' " + target.path("refId").asText();
        if (!answer.path("status").asText().equals("success")) {
          problems.add(where + " failed: " + answer.path("error").asText() + " in " + expr);
        } else if (!needsKubernetes && answer.path("data").path("result").isEmpty()) {
          problems.add(where + " returned no data: " + expr);
        }
      }
    }
    assertThat(checked).as("PromQL targets in the dashboard").isGreaterThanOrEqualTo(40);
    assertThat(problems).as("dashboard queries against a real run").isEmpty();
  }

  private static String substitute(String expr) {
    String result = expr;
    for (var macro : MACROS.entrySet()) result = result.replace(macro.getKey(), macro.getValue());
    return result;
  }

  /** A pod's settings: the scripted model, the MCP reference server, the A2A peer on localhost. */
  private Map<String, String> podSettings(ScriptedLlmServer llm) throws Exception {
    String everything = NpmTools.everything().toString();
    var catalogue = Json.object();
    catalogue
        .putObject("mcpServers")
        .putObject("tools")
        .put("command", everything)
        .putArray("args")
        .add("stdio");
    Path file = Files.createTempFile(Files.createDirectories(Path.of("target")), "mcp", ".json");
    Files.writeString(file, catalogue.toString());
    Map<String, String> settings = new HashMap<>(llm.podSettings(0));
    settings.put(McpConfigFile.SETTING, file.toAbsolutePath().toString());
    settings.put(StdioCommands.SETTING, everything);
    settings.put("PODFLOW_OUTBOUND_ALLOW", "127.0.0.1/32");
    return settings;
  }

  /** A pod with its own pool and registry, serving /metrics as {@code ./podflow pod} does. */
  private int startPod(TestDatabase testDb, String podId, Map<String, String> settings)
      throws Exception {
    PodConfig config = PodConfig.defaults(podId).withSettings(settings);
    Database pool = add(pool(testDb, DatabaseRole.POD, podId));
    PrometheusMeterRegistry meters = meters(pool);
    AgentPod pod = new AgentPod(config, pool, OrchestratorRegistry.discover(), meters);
    OpsServer ops = add(OpsServer.start(pod, meters, 0));
    add(pod.start());
    return ops.port();
  }

  private int startNotifier(TestDatabase testDb) throws Exception {
    Database pool = add(pool(testDb, DatabaseRole.NOTIFIER, "dash-notifier"));
    PrometheusMeterRegistry meters = meters(pool);
    NotifierService notifier =
        new NotifierService(
            pool,
            NotifierSettings.defaults("dash-notifier"),
            NotifierService.channels(Optional.empty(), Optional.empty(), "dash"),
            meters);
    OpsServer ops = add(OpsServer.start(notifier::isAlive, notifier::isReady, meters, 0));
    add(notifier.start());
    return ops.port();
  }

  /** Each part's own registry, with the JVM and pool meters its command would bind. */
  private PrometheusMeterRegistry meters(Database pool) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    add(ProcessMetrics.bind(meters, pool));
    return meters;
  }

  private static Database pool(TestDatabase testDb, DatabaseRole role, String name) {
    return Database.connect(testDb.config().withRole(role).withPool(4, name));
  }

  private static String adminKey(TestDatabase testDb) {
    return new ApiKeys(testDb.database().jdbi(), Clock.systemUTC())
        .create("default", Role.ADMIN, null, null, "dashboard")
        .wholeKey();
  }

  /**
   * Through the API: noop and sleep steps, an answer from the model, an MCP tool and an A2A peer, a
   * human step (its notification sent by the notifier), and a step that retries once and dies.
   */
  private static void runProcesses(ApiCalls api, String key, A2aPeer peer, TestDatabase testDb) {
    expect(201, api.send(key, "POST", "/api/v1/agents", "{\"id\":\"helper\",\"name\":\"Helper\"}"));
    publish(
        api,
        key,
        """
        {"id":"work","activities":[{"id":"a","orchestrator":"noop"},
          {"id":"b","orchestrator":"sleep","config":{"ms":200}}]}""");
    publish(
        api,
        key,
        """
        {"id":"ask","activities":[{"id":"answer","orchestrator":"llm-action",
          "config":{"agent":"helper","prompt":"Say something."}}]}""");
    publish(
        api,
        key,
        """
        {"id":"tools","activities":[{"id":"sum","orchestrator":"mcp",
          "config":{"server":"tools","tool":"get-sum","arguments":{"a":2,"b":3}}},
          {"id":"ask-peer","orchestrator":"a2a","maxAttempts":1,
           "config":{"agentCardUrl":"%s","message":"echo: hi"}}]}"""
            .formatted(peer.cardUrl()));
    publish(
        api,
        key,
        """
        {"id":"approve","activities":[{"id":"decide","orchestrator":"human",
          "config":{"assignee":"alice"}}]}""");
    publish(
        api,
        key,
        """
        {"id":"doomed","activities":[{"id":"fail","orchestrator":"fail","maxAttempts":2,
          "backoff":{"initialSeconds":1,"maxSeconds":1},
          "config":{"message":"fails by design","retryable":true}}]}""");
    Map<String, String> expected = new LinkedHashMap<>();
    for (String definition : List.of("work", "work", "work", "ask", "tools")) {
      expected.put(start(api, key, definition), "COMPLETED");
    }
    expected.put(start(api, key, "doomed"), "ERROR");
    start(api, key, "approve");
    expected.forEach(
        (id, status) ->
            Eventually.await(
                PATIENCE,
                "process " + id + " " + status,
                () ->
                    expect(200, api.send(key, "GET", "/api/v1/processes/" + id, null))
                        .path("status")
                        .asText()
                        .equals(status)));
    Eventually.await(
        PATIENCE,
        "alice's notification sent",
        () -> testDb.number("SELECT count(*) FROM notifications WHERE status = 'SENT'") == 1);
  }

  private static void publish(ApiCalls api, String key, String definition) {
    expect(201, api.send(key, "POST", "/api/v1/definitions", definition));
  }

  private static String start(ApiCalls api, String key, String definition) {
    String body =
        Json.object().put("definitionId", definition).set("input", Json.object()).toString();
    return expect(201, api.send(key, "POST", "/api/v1/processes", body)).path("id").asText();
  }

  private <T extends AutoCloseable> T add(T part) {
    running.add(part);
    return part;
  }
}
