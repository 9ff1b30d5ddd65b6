package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.outbound.OutboundGuard;
import dev.podflow.store.Json;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** server-everything over stdio, started through the allowlist with an isolated environment. */
class StdioServerTest {
  private static final String PATH = System.getenv("PATH");
  private static McpConnections connections;

  @BeforeAll
  static void open() {
    connections =
        new McpConnections(
            new StdioCommands(List.of(NpmTools.everything().toString()), PATH),
            new OutboundGuard(List.of()),
            new McpSettings(Duration.ofSeconds(20), Duration.ofSeconds(20), PATH));
  }

  @AfterAll
  static void closeAll() {
    connections.close();
  }

  /** A server-everything definition; {@code marker} tells its process apart from the others. */
  private static McpServerSpec everything(String marker, Map<String, String> env) {
    return McpServerSpec.stdio(
        "everything", NpmTools.everything().toString(), List.of("stdio", marker), env);
  }

  private static McpServerSpec everything() {
    return everything("shared", Map.of());
  }

  @Test
  void listsToolsAndCallsThem() {
    List<McpTool> tools = connections.listTools("acme", everything());
    assertThat(tools).extracting(McpTool::name).contains("echo", "get-sum", "get-env");
    assertThat(tools.stream().filter(t -> t.name().equals("get-sum")).findFirst().orElseThrow())
        .satisfies(
            t -> assertThat(t.inputSchema().at("/properties/a/type").asText()).isEqualTo("number"));

    McpToolResult echo = connections.callTool("acme", everything(), "echo", "{\"message\":\"hi\"}");
    assertThat(echo.isError()).isFalse();
    assertThat(echo.text()).isEqualTo("Echo: hi");
    assertThat(echo.size()).isPositive();

    McpToolResult sum = connections.callTool("acme", everything(), "get-sum", "{\"a\":2,\"b\":3}");
    assertThat(sum.text()).isEqualTo("The sum of 2 and 3 is 5.");
  }

  @Test
  void aToolErrorIsAResultForTheModel() {
    McpToolResult invalid =
        connections.callTool("acme", everything(), "get-sum", "{\"a\":\"two\",\"b\":3}");
    assertThat(invalid.isError()).isTrue();
    assertThat(invalid.text()).contains("get-sum");

    McpToolResult unknown = connections.callTool("acme", everything(), "no-such-tool", "{}");
    assertThat(unknown.isError()).isTrue();
    assertThat(unknown.text()).contains("no-such-tool");

    McpToolResult notAnObject = connections.callTool("acme", everything(), "echo", "[1]");
    assertThat(notAnObject.isError()).isTrue();
    assertThat(notAnObject.text()).isEqualTo("the tool arguments must be a JSON object");
  }

  @Test
  void structuredContentIsCheckedAgainstTheOutputSchema() {
    McpTool tool =
        connections.listTools("acme", everything()).stream()
            .filter(t -> t.name().equals("get-structured-content"))
            .findFirst()
            .orElseThrow();
    assertThat(tool.outputSchema()).isNotNull();

    McpToolResult result =
        connections.callTool(
            "acme", everything(), "get-structured-content", "{\"location\":\"Chicago\"}");
    assertThat(result.isError()).isFalse();
    assertThat(result.structuredContent().has("temperature")).isTrue();
  }

  @Test
  void aCallThatOutlastsItsTimeoutFailsRetryably() {
    assertThatThrownBy(
            () ->
                connections.callTool(
                    "acme",
                    everything(),
                    "trigger-long-running-operation",
                    "{\"duration\":5,\"steps\":5}",
                    Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            McpServerUnavailableException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessage(
            "MCP server 'everything' did not answer tools/call 'trigger-long-running-operation'"
                + " within 500 ms");
    // a slow tool is not a dead server: the connection stays
    assertThat(connections.isOpen("acme", "everything")).isTrue();
    assertThat(connections.callTool("acme", everything(), "echo", "{\"message\":\"x\"}").text())
        .isEqualTo("Echo: x");
  }

  @Test
  void theProcessSeesOnlyItsOwnEnvironmentAndPath() {
    assertThat(System.getenv("DATABASE_URL")).as("set by surefire").isNotBlank();
    McpServerSpec spec = everything("env", Map.of("GREETING", "hello"));
    var env = Json.parse(connections.callTool("env-tenant", spec, "get-env", "{}").text());

    assertThat(env.path("GREETING").asText()).isEqualTo("hello");
    assertThat(env.path("PATH").asText()).isEqualTo(PATH);
    assertThat(env.has("DATABASE_URL")).isFalse();
    assertThat(env.has("PODFLOW_TEST_SECRET")).isFalse();
    assertThat(env.has("HOME")).isFalse(); // the SDK would have passed HOME, USER, SHELL, ...
    assertThat(env.has("USER")).isFalse();
  }

  @Test
  void aKilledProcessIsRestartedOnTheNextUse() throws Exception {
    String marker = "kill-" + UUID.randomUUID();
    McpServerSpec spec = everything(marker, Map.of());
    connections.callTool("kill-tenant", spec, "echo", "{\"message\":\"before\"}");
    ProcessHandle first = child(marker);

    first.destroyForcibly();
    first.onExit().get();
    Eventually.await(
        Duration.ofSeconds(5),
        "the connection noticing the exit",
        () -> !connections.isOpen("kill-tenant", "everything"));

    McpToolResult after =
        connections.callTool("kill-tenant", spec, "echo", "{\"message\":\"after\"}");
    assertThat(after.text()).isEqualTo("Echo: after");
    assertThat(child(marker).pid()).isNotEqualTo(first.pid());
  }

  @Test
  void aChangedDefinitionReconnects() {
    McpServerSpec first = everything("change", Map.of("VERSION", "1"));
    McpServerSpec second = everything("change", Map.of("VERSION", "2"));
    assertThat(
            Json.parse(connections.callTool("change", first, "get-env", "{}").text())
                .path("VERSION")
                .asText())
        .isEqualTo("1");
    assertThat(
            Json.parse(connections.callTool("change", second, "get-env", "{}").text())
                .path("VERSION")
                .asText())
        .isEqualTo("2");
  }

  @Test
  void aDisabledServerIsClosedAndRefused() throws Exception {
    String marker = "disable-" + UUID.randomUUID();
    McpServerSpec spec = everything(marker, Map.of());
    connections.callTool("disable", spec, "echo", "{\"message\":\"x\"}");
    ProcessHandle process = child(marker);

    assertThatThrownBy(() -> connections.callTool("disable", spec.withEnabled(false), "echo", "{}"))
        .isInstanceOfSatisfying(
            McpServerRefusedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessage("MCP server 'everything' is disabled");
    assertThat(connections.isOpen("disable", "everything")).isFalse();
    process.onExit().get(); // the process is gone too
  }

  @Test
  void closeEndsTheProcess() throws Exception {
    String marker = "close-" + UUID.randomUUID();
    connections.listTools("closing", everything(marker, Map.of()));
    ProcessHandle process = child(marker);
    connections.close("closing", "everything");
    assertThat(connections.isOpen("closing", "everything")).isFalse();
    process.onExit().get();
  }

  @Test
  void aServerNotOfferedToTheTenantIsRefused() {
    McpServerSpec onlyAcme = everything().withTenants(List.of("acme"));
    assertThatThrownBy(() -> connections.listTools("globex", onlyAcme))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessage("MCP server 'everything' is not offered to tenant globex");
  }

  @Test
  void concurrentCallsShareOneConnection() throws Exception {
    String marker = "concurrent-" + UUID.randomUUID();
    McpServerSpec spec = everything(marker, Map.of());
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String message = "m" + i;
      calls.add(
          () ->
              connections
                  .callTool("concurrent", spec, "echo", "{\"message\":\"" + message + "\"}")
                  .text());
    }
    List<String> answers = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<String> answer : pool.invokeAll(calls)) answers.add(answer.get());
    }
    assertThat(answers).hasSize(16).allSatisfy(a -> assertThat(a).startsWith("Echo: m"));
    assertThat(children(marker)).hasSize(1);
  }

  @Test
  void aCommandOffTheAllowlistIsRefused() {
    try (McpConnections strict =
        new McpConnections(
            new StdioCommands(List.of("node"), PATH),
            new OutboundGuard(List.of()),
            McpSettings.fromEnvironment(new dev.podflow.store.Environment(Map.of())))) {
      assertThatThrownBy(() -> strict.listTools("acme", everything()))
          .isInstanceOf(McpServerRefusedException.class)
          .hasMessageContaining("cannot start '" + NpmTools.everything() + "'")
          .hasMessageContaining("it is not on PODFLOW_MCP_STDIO_COMMANDS");
    }
  }

  @Test
  void anEmptyAllowlistRefusesEveryStdioServer() {
    try (McpConnections none =
        new McpConnections(
            new StdioCommands(List.of(), PATH),
            new OutboundGuard(List.of()),
            McpSettings.fromEnvironment(new dev.podflow.store.Environment(Map.of())))) {
      assertThatThrownBy(() -> none.listTools("acme", everything()))
          .isInstanceOf(McpServerRefusedException.class)
          .hasMessageContaining(
              "PODFLOW_MCP_STDIO_COMMANDS is empty, so no stdio server may start");
    }
  }

  private static List<ProcessHandle> children(String marker) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(marker))
        .toList();
  }

  private static ProcessHandle child(String marker) {
    List<ProcessHandle> found = children(marker);
    assertThat(found).as("processes started with " + marker).hasSize(1);
    return found.get(0);
  }
}
