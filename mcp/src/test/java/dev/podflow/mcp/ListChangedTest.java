package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.outbound.OutboundGuard;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.NpmTools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool lists are cached per connection and replaced when the server says they changed. */
class ListChangedTest {
  @Test
  void theToolListIsCachedAndRefreshedOnListChanged() {
    String path = System.getenv("PATH");
    McpServerSpec spec =
        McpServerSpec.stdio(
            "changing",
            "node",
            List.of(NpmTools.server("list-changed-server.cjs").toString()),
            Map.of("NODE_PATH", NpmTools.modules().toString()));
    try (McpConnections connections =
        new McpConnections(
            new StdioCommands(List.of("node"), path),
            new OutboundGuard(List.of()),
            new McpSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), path))) {
      assertThat(connections.listTools("acme", spec))
          .extracting(McpTool::name)
          .containsExactly("add-tool", "list-requests");
      connections.listTools("acme", spec);
      assertThat(connections.callTool("acme", spec, "list-requests", "{}").text())
          .as("tools/list requests: one, when the connection opened")
          .isEqualTo("1");

      assertThat(connections.callTool("acme", spec, "add-tool", "{}").text()).isEqualTo("added-1");
      Eventually.await(
          Duration.ofSeconds(5),
          "the new tool in the cached list",
          () ->
              connections.listTools("acme", spec).stream()
                  .anyMatch(tool -> tool.name().equals("added-1")));
      assertThat(connections.callTool("acme", spec, "list-requests", "{}").text()).isEqualTo("2");
    }
  }
}
