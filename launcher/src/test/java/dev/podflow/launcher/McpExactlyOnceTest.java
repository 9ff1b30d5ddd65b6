package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.ScriptedLlmServer.Reply;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's write tool at a real MCP server (server-memory from npm, whose knowledge graph file
 * outlives the pod) takes effect once although its pod process is SIGKILLed between two tool calls:
 * the pod that rescues the task resumes from the checkpoint and does not call again. A counting
 * proxy in front of the server logs every tools/call it forwards.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class McpExactlyOnceTest {
  @TempDir Path dir;

  @Test
  void aWriteToolRunsOnceAcrossASigkillBetweenTwoCalls(TestDatabase testDb) throws Exception {
    Path calls = dir.resolve("calls.log");
    Path graph = dir.resolve("memory.jsonl");
    String node = NpmTools.node().toString();
    Path proxy = Path.of("src", "test", "resources", "mcp", "counting-proxy.js").toAbsolutePath();
    ObjectNode memory = Json.object().put("command", node);
    memory.set(
        "args",
        Json.MAPPER.valueToTree(
            List.of(
                proxy.toString(), calls.toString(), NpmTools.bin("mcp-server-memory").toString())));
    memory.putObject("env").put("MEMORY_FILE_PATH", graph.toString());
    ObjectNode catalogue = Json.object();
    catalogue.putObject("mcpServers").set("memory", memory);
    Path mcpJson = Files.writeString(dir.resolve("mcp.json"), catalogue.toString());

    testDb
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.attach(AgentDao.class)
                    .agentUpsert(
                        StartCommand.DEFAULT_TENANT,
                        "keeper",
                        "Keeper",
                        "You keep records.",
                        "",
                        null,
                        Json.MAPPER.valueToTree(List.of("mcp:memory/create_entities")),
                        "llm-action",
                        null,
                        null));
    ObjectNode definition = Json.object().put("id", "record");
    definition
        .putArray("activities")
        .addObject()
        .put("id", "write")
        .put("orchestrator", "llm-action")
        .put("maxAttempts", 3)
        .putObject("config")
        .put("agent", "keeper")
        .put("prompt", "Record two visits.");
    DefinitionCatalog catalog =
        new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover());
    catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);

    CountDownLatch podKilled = new CountDownLatch(1);
    try (ScriptedLlmServer llm = ScriptedLlmServer.start();
        PodProcesses pods = new PodProcesses(testDb)) {
      // A model whose turn follows from the conversation: with no tool result yet it records the
      // first visit, with one the second (the victim's request for that hangs until the victim is
      // dead), with two it is done. An attempt that started over would record the first again.
      AtomicBoolean held = new AtomicBoolean();
      llm.replyBy(
          request -> {
            long results =
                StreamSupport.stream(request.messages().spliterator(), false)
                    .filter(m -> m.path("role").asText().equals("tool"))
                    .count();
            if (results == 1 && held.compareAndSet(false, true)) await(podKilled);
            return switch ((int) results) {
              case 0 -> Reply.toolCalls(new ToolCall("memory_create_entities", entity("first")));
              case 1 -> Reply.toolCalls(new ToolCall("memory_create_entities", entity("second")));
              default -> Reply.text("Both visits are recorded.");
            };
          });
      Map<String, String> settings = new HashMap<>(llm.podSettings(0));
      settings.put("PODFLOW_MCP_CONFIG", mcpJson.toString());
      settings.put("PODFLOW_MCP_STDIO_COMMANDS", node);
      settings.put("PODFLOW_LEASE_SECONDS", "2");
      settings.put("PODFLOW_RESCUE_SECONDS", "1");

      UUID instance =
          new Engine(testDb.database().jdbi(), catalog, Notifier.inline(testDb.database().jdbi()))
              .starter()
              .start(
                  new StartCommand(
                      "record", Json.object(), null, null, StartCommand.DEFAULT_TENANT, null))
              .instance()
              .id();
      Process victim = pods.start("victim", settings);
      Eventually.await(
          Duration.ofSeconds(60),
          "the victim made the first call and waits for the model",
          () -> llm.requests().size() == 2);
      victim.destroyForcibly(); // SIGKILL between the two tool calls
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
      podKilled.countDown();

      pods.start("rescuer", settings);
      Eventually.await(
          Duration.ofSeconds(60),
          "the rescuer completes the process",
          () -> testDb.instanceStatus(instance).equals("COMPLETED"));
    }

    List<String> forwarded = Files.readAllLines(calls);
    assertThat(forwarded).as("tools/call requests the server got").hasSize(2);
    assertThat(forwarded.stream().filter(line -> line.contains("\"first\""))).hasSize(1);
    assertThat(forwarded.stream().filter(line -> line.contains("\"second\""))).hasSize(1);
    assertThat(Files.readString(graph)).contains("\"first\"", "\"second\"");
    EventLog events = new EventLog(testDb);
    assertThat(events.count("mcp_call")).isEqualTo(2);
    assertThat(events.count("agent_resumed")).isEqualTo(1);
    assertThat(testDb.number("SELECT attempts FROM todolist")).isEqualTo(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String entity(String name) {
    return "{\"entities\":[{\"name\":\""
        + name
        + "\",\"entityType\":\"visit\",\"observations\":[\"on time\"]}]}";
  }
}
