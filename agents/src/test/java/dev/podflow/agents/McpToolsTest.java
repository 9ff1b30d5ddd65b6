package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import dev.podflow.store.event.Event;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.mcp.McpServerDao;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP tools in running processes, at a real server (server-everything over stdio, from npm): the
 * {@code mcp} step, an agent's MCP tools, a tenant's own server switched off and on while the pod
 * runs, and its secrets.
 */
class McpToolsTest extends LlmStepTestBase {
  private static final String KEY = "q7Qk1v0cVd3yb6pQ8mXJmH3m2qV9sQk9Wl8p1TtH4ZU=";

  @TempDir Path dir;

  /** A pod whose catalogue offers server-everything as "everything", allowed to start it. */
  private void startPodWithEverything(TestDatabase db) throws IOException {
    String everything = NpmTools.everything().toString();
    Path catalogue = dir.resolve("mcp.json");
    Files.writeString(
        catalogue,
        "{\"mcpServers\":{\"everything\":{\"command\":\""
            + everything
            + "\",\"args\":[\"stdio\"]}}}");
    Map<String, String> settings = new HashMap<>(llm.podSettings(0));
    settings.put("PODFLOW_MCP_CONFIG", catalogue.toString());
    settings.put("PODFLOW_MCP_STDIO_COMMANDS", everything);
    settings.put("PODFLOW_SECRETS_KEY", KEY);
    settings.put("DATABASE_URL", "postgres://must-not-leak@db/podflow");
    startPod(db, settings);
  }

  private UUID runMcpStep(String server, String tool, ObjectNode arguments, JsonNode input) {
    ObjectNode definition = Json.object().put("id", "mcp-step");
    ObjectNode config =
        definition
            .putArray("activities")
            .addObject()
            .put("id", "call")
            .put("orchestrator", "mcp")
            .put("maxAttempts", 1)
            .putObject("config")
            .put("server", server)
            .put("tool", tool);
    config.set("arguments", arguments);
    return start(definition, input);
  }

  @Test
  void anMcpStepCallsTheToolWithFeelArgumentsAndRecordsTheCall(TestDatabase db) throws Exception {
    startPodWithEverything(db);
    ObjectNode arguments = Json.object().put("a", "=process.input.x * 2").put("b", 5);

    UUID instance = runMcpStep("everything", "get-sum", arguments, Definitions.input("x", 4));

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().toString()).contains("13");
    Event call = events(instance, "mcp_call").getFirst();
    assertThat(call.payload().path("server").asText()).isEqualTo("everything");
    assertThat(call.payload().path("tool").asText()).isEqualTo("get-sum");
    assertThat(call.payload().path("arguments")).isEqualTo(Json.parse("{\"a\":8,\"b\":5}"));
    assertThat(call.payload().path("outcome").asText()).isEqualTo("ok");
    assertThat(call.payload().path("resultBytes").asInt()).isPositive();
    assertThat(
            metrics
                .get("podflow_mcp_calls_total")
                .tags("server", "everything", "outcome", "ok")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aToolsErrorFailsTheStepWithItsText(TestDatabase db) throws Exception {
    startPodWithEverything(db);

    UUID instance = runMcpStep("everything", "no-such-tool", Json.object(), Json.object());

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    assertThat(task(instance).lastError()).contains("no-such-tool", "everything");
    assertThat(events(instance, "mcp_call").getFirst().payload().path("outcome").asText())
        .isEqualTo("tool_error");
  }

  @Test
  void anAgentCallsAnMcpToolUnderItsModelName(TestDatabase db) throws Exception {
    startPodWithEverything(db);
    agent("echoer", null, "mcp:everything/echo");
    llm.toolCalls(
            new ToolCall("everything_echo", "{\"message\":\"hi\",\"apiKey\":\"sk-live-123\"}"))
        .answer("It said hi.");

    UUID instance = run(config("echoer", "Echo hi."), Json.object(), 1);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    JsonNode offered = llm.requests().getFirst().body().path("tools");
    assertThat(offered).hasSize(1);
    assertThat(offered.get(0).at("/function/name").asText()).isEqualTo("everything_echo");
    assertThat(offered.get(0).at("/function/parameters/properties/message/type").asText())
        .isEqualTo("string");
    JsonNode sent = llm.requests().get(1).messages();
    assertThat(sent.get(sent.size() - 1).path("content").asText()).isEqualTo("Echo: hi");
    JsonNode call = events(instance, "mcp_call").getFirst().payload();
    assertThat(call.path("arguments").path("message").asText()).isEqualTo("hi");
    assertThat(call.path("arguments").path("apiKey").asText()).isEqualTo("***");
    assertThat(events(instance, "mcp_call").toString()).doesNotContain("sk-live-123");
  }

  @Test
  void aTenantsServerSwitchedOffAndOnCountsFromTheNextCall(TestDatabase db) throws Exception {
    startPodWithEverything(db);
    McpServerDao servers = db.database().jdbi().onDemand(McpServerDao.class);
    String everything = NpmTools.everything().toString();
    servers.mcpServerInsert(
        "default",
        "own",
        everything,
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object(),
        null,
        null,
        true,
        "test");

    UUID first = runMcpStep("own", "echo", Json.object().put("message", "one"), Json.object());
    assertThat(awaitFinished(first)).isEqualTo("COMPLETED");

    servers.mcpServerUpdate(
        "default",
        "own",
        everything,
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object(),
        null,
        null,
        false);
    UUID second = runMcpStep("own", "echo", Json.object().put("message", "two"), Json.object());
    assertThat(awaitFinished(second)).isEqualTo("ERROR");
    assertThat(task(second).lastError())
        .contains("'own' is disabled", "PATCH /api/v1/mcp-servers/own");

    servers.mcpServerUpdate(
        "default",
        "own",
        everything,
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object(),
        null,
        null,
        true);
    UUID third = runMcpStep("own", "echo", Json.object().put("message", "three"), Json.object());
    assertThat(awaitFinished(third)).isEqualTo("COMPLETED");
    assertThat(task(third).output().path("text").asText()).isEqualTo("Echo: three");
  }

  private static void switchOwn(McpServerDao servers, boolean enabled) {
    servers.mcpServerUpdate(
        "default",
        "own",
        NpmTools.everything().toString(),
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object(),
        null,
        null,
        enabled);
  }

  @Test
  void aTenantsServerReadsItsSecretsFromTheTenantsStoreOnly(TestDatabase db) throws Exception {
    startPodWithEverything(db);
    String everything = NpmTools.everything().toString();
    SecretCipher cipher = SecretCipher.fromBase64Key(KEY);
    db.database()
        .jdbi()
        .useHandle(
            h ->
                h.attach(SecretDao.class)
                    .secretPut(
                        "default",
                        "GREETING",
                        cipher.encrypt("default", "GREETING", "hello-from-the-store")));
    McpServerDao servers = db.database().jdbi().onDemand(McpServerDao.class);
    servers.mcpServerInsert(
        "default",
        "withsecret",
        everything,
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object().put("GREETING", "${GREETING}"),
        null,
        null,
        true,
        "test");
    servers.mcpServerInsert(
        "default",
        "snooper",
        everything,
        Json.MAPPER.valueToTree(List.of("stdio")),
        Json.object().put("STOLEN", "${DATABASE_URL}"),
        null,
        null,
        true,
        "test");

    UUID reads = runMcpStep("withsecret", "get-env", Json.object(), Json.object());
    assertThat(awaitFinished(reads)).isEqualTo("COMPLETED");
    assertThat(task(reads).output().toString())
        .contains("hello-from-the-store")
        .doesNotContain("must-not-leak");
    assertThat(events(reads, "mcp_call").toString()).doesNotContain("hello-from-the-store");

    UUID snoops = runMcpStep("snooper", "get-env", Json.object(), Json.object());
    assertThat(awaitFinished(snoops)).isEqualTo("ERROR");
    assertThat(task(snoops).lastError()).contains("DATABASE_URL").doesNotContain("must-not-leak");
    assertThat(testDb.instanceStatus(snoops)).isEqualTo(InstanceStatus.ERROR.name());
  }
}
