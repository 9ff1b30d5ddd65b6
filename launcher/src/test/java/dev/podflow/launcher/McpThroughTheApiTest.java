package dev.podflow.launcher;

import static dev.podflow.launcher.ApiCalls.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.ScriptedLlmServer.Reply;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 end to end, through the HTTP API only, with two pods running: an admin registers a real
 * MCP server (server-everything over stdio, from npm) with a secret from the tenant's store, gives
 * an agent two of its tools (one needing approval), and the agent's calls show in the process's
 * events; switching the server off through the API fails the next call clearly and switching it on
 * makes it work, with no restart; a call needing approval waits in the inbox and runs only once a
 * person approves it; a command off the allowlist and a loopback URL are refused at registration.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class McpThroughTheApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String STORE_SECRET = "hello-from-the-store";

  private final List<AgentPod> pods = new ArrayList<>();
  private TestDatabase db;
  private ScriptedLlmServer llm;
  private ExecutionApi api;
  private String adminKey;

  @BeforeEach
  void start(TestDatabase db) {
    this.db = db;
    String everything = NpmTools.everything().toString();
    llm = ScriptedLlmServer.start();
    // The model calls the tool its prompt names; once it has the result, it says what it saw.
    llm.replyBy(
        request -> {
          JsonNode last = request.messages().get(request.messages().size() - 1);
          if (last.path("role").asText().equals("tool")) {
            String result = last.path("content").asText();
            return Reply.text(
                result.contains(STORE_SECRET) ? "saw the stored greeting" : "result: " + result);
          }
          return request.prompt().contains("environment")
              ? Reply.toolCalls(new ToolCall("tools_get-env", "{}"))
              : Reply.toolCalls(new ToolCall("tools_get-sum", "{\"a\":2,\"b\":3}"));
        });
    api =
        ExecutionApi.start(
            db.database(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0)
                .withMcpAdmission(
                    new McpAdmission(
                        new StdioCommands(List.of(everything), System.getenv("PATH")),
                        new OutboundGuard(List.of()),
                        List.of()))
                .withSecrets(Optional.of(SecretCipher.fromBase64Key(KEY))));
    adminKey =
        new ApiKeys(db.database().jdbi(), Clock.systemUTC())
            .create("default", Role.ADMIN, null, null, "test")
            .wholeKey();
    Map<String, String> settings = new HashMap<>(llm.podSettings(0));
    settings.put("PODFLOW_MCP_STDIO_COMMANDS", everything);
    settings.put("PODFLOW_SECRETS_KEY", KEY);
    for (int i = 0; i < 2; i++) {
      pods.add(
          new AgentPod(
                  PodConfig.defaults("mcp-pod-" + i).withSettings(settings),
                  db.database(),
                  OrchestratorRegistry.discover(),
                  new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
              .start());
    }
  }

  @AfterEach
  void stop() {
    pods.forEach(AgentPod::stop);
    api.close();
    llm.close();
  }

  @Test
  void aRegisteredServersToolsRunInProcessesSwitchOffAndOnAndWaitForApproval() {
    String everything = NpmTools.everything().toString();
    expect(201, send("PUT", "/api/v1/secrets/GREETING", "{\"value\":\"" + STORE_SECRET + "\"}"));
    expect(
        201,
        send(
            "POST",
            "/api/v1/mcp-servers",
            """
            {"name":"tools","command":"%s","args":["stdio"],"env":{"GREETING":"${GREETING}"}}"""
                .formatted(everything)));
    expect(
        201,
        send(
            "POST",
            "/api/v1/agents",
            """
            {"id":"helper","name":"Helper","tools":["mcp:tools/get-sum",
              {"name":"mcp:tools/get-env","approval":"always"}]}"""));
    expect(
        201,
        send(
            "POST",
            "/api/v1/definitions",
            """
            {"id":"assist","activities":[{"id":"help","orchestrator":"llm-action",
              "maxAttempts":1,"config":{"agent":"helper","prompt":"{{process.input.ask}}"}}]}"""));

    String summed = startProcess("add two and three");
    assertThat(awaitStatus(summed)).isEqualTo("COMPLETED");
    JsonNode call = mcpCalls(summed).getFirst();
    assertThat(call.path("server").asText()).isEqualTo("tools");
    assertThat(call.path("tool").asText()).isEqualTo("get-sum");
    assertThat(call.path("outcome").asText()).isEqualTo("ok");
    assertThat(process(summed).path("output").toString()).contains("5");

    expect(200, send("PATCH", "/api/v1/mcp-servers/tools", "{\"enabled\":false}"));
    String refused = startProcess("add two and three");
    assertThat(awaitStatus(refused)).isEqualTo("ERROR");
    assertThat(db.text("SELECT last_error FROM todolist WHERE proc_inst_id = '" + refused + "'"))
        .contains("'tools' is disabled", "PATCH /api/v1/mcp-servers/tools");

    expect(200, send("PATCH", "/api/v1/mcp-servers/tools", "{\"enabled\":true}"));
    String again = startProcess("add two and three");
    assertThat(awaitStatus(again)).isEqualTo("COMPLETED");
    assertThat(mcpCalls(again)).hasSize(1);

    String approved = startProcess("read the environment");
    Eventually.await(PATIENCE, "the call waiting for approval", () -> !inbox(approved).isEmpty());
    JsonNode waiting = inbox(approved).getFirst();
    assertThat(waiting.path("waitingFor").asText()).isEqualTo("APPROVAL");
    assertThat(waiting.path("approval").path("tool").asText()).contains("get-env");
    assertThat(mcpCalls(approved)).as("nothing runs before the approval").isEmpty();
    expect(
        200,
        send(
            "POST",
            "/api/v1/tasks/" + waiting.path("id").asLong() + "/complete",
            "{\"output\":{\"approve\":true}}"));
    assertThat(awaitStatus(approved)).isEqualTo("COMPLETED");
    assertThat(mcpCalls(approved)).hasSize(1);
    assertThat(process(approved).path("output").toString())
        .as("the server's env came from the tenant's secret store")
        .contains("saw the stored greeting");
    assertThat(events(approved).toString()).doesNotContain(STORE_SECRET);
  }

  @Test
  void aCommandOffTheAllowlistAndALoopbackUrlAreRefusedAtRegistration() {
    JsonNode shell =
        expect(
            422,
            send("POST", "/api/v1/mcp-servers", "{\"name\":\"shell\",\"command\":\"/bin/sh\"}"));
    assertThat(shell.path("errors").get(0).path("detail").asText())
        .contains("PODFLOW_MCP_STDIO_COMMANDS");
    JsonNode loopback =
        expect(
            422,
            send(
                "POST",
                "/api/v1/mcp-servers",
                "{\"name\":\"local\",\"url\":\"http://127.0.0.1:8080/mcp\"}"));
    assertThat(loopback.path("errors").get(0).path("detail").asText())
        .contains("loopback", "PODFLOW_OUTBOUND_ALLOW");
    assertThat(db.number("SELECT count(*) FROM mcp_servers")).isZero();
  }

  private String startProcess(String ask) {
    JsonNode started =
        expect(
            201,
            send(
                "POST",
                "/api/v1/processes",
                "{\"definitionId\":\"assist\",\"input\":{\"ask\":\"" + ask + "\"}}"));
    return started.path("id").asText();
  }

  private JsonNode process(String id) {
    return expect(200, send("GET", "/api/v1/processes/" + id, null));
  }

  private String awaitStatus(String id) {
    Eventually.await(
        PATIENCE,
        "process " + id + " finished",
        () -> List.of("COMPLETED", "ERROR").contains(process(id).path("status").asText()));
    return process(id).path("status").asText();
  }

  private JsonNode events(String id) {
    return expect(200, send("GET", "/api/v1/processes/" + id + "/events", null)).path("events");
  }

  private List<JsonNode> mcpCalls(String id) {
    List<JsonNode> calls = new ArrayList<>();
    for (JsonNode event : events(id)) {
      if (event.path("type").asText().equals("mcp_call")) calls.add(event.path("payload"));
    }
    return calls;
  }

  private List<JsonNode> inbox(String processId) {
    List<JsonNode> tasks = new ArrayList<>();
    for (JsonNode task :
        expect(200, send("GET", "/api/v1/tasks?status=WAITING", null)).path("tasks")) {
      if (task.path("processId").asText().equals(processId)) tasks.add(task);
    }
    return tasks;
  }

  private HttpResponse<String> send(String method, String path, String body) {
    return new ApiCalls(api.port()).send(adminKey, method, path, body);
  }
}
