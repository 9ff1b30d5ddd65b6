package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioCommandsTest {
  @TempDir Path dir;

  private Path executable(String relative) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static McpServerSpec server(String command) {
    return McpServerSpec.stdio("tool", command, List.of(), Map.of());
  }

  @Test
  void aBareNameAndItsPathMatchEachOtherButNotAnotherFileOfTheSameName() throws Exception {
    Path node = executable("bin/node");
    Path evil = executable("evil/node");
    StdioCommands commands = new StdioCommands(List.of("node"), dir.resolve("bin").toString());

    assertThat(commands.allowed()).containsExactly(node);
    assertThat(commands.check(server("node"))).isEqualTo(node);
    assertThat(commands.check(server(node.toString()))).isEqualTo(node);
    assertThat(commands.check(server(dir + "/bin/../bin/node"))).isEqualTo(node);
    assertThatThrownBy(() -> commands.check(server(evil.toString())))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessage(
            "stdio MCP server 'tool' cannot start '"
                + evil
                + "': it is not on PODFLOW_MCP_STDIO_COMMANDS");
  }

  @Test
  void anAbsoluteEntryAllowsItsBareNameOnPath() throws Exception {
    Path node = executable("bin/node");
    StdioCommands commands =
        new StdioCommands(List.of(node.toString()), dir.resolve("bin").toString());
    assertThat(commands.check(server("node"))).isEqualTo(node);
  }

  @Test
  void relativeCommandsAndUnknownNamesAreRefused() throws Exception {
    executable("bin/node");
    StdioCommands commands = new StdioCommands(List.of("node"), dir.resolve("bin").toString());
    assertThatThrownBy(() -> commands.check(server("bin/node")))
        .hasMessage(
            "stdio MCP server 'tool' cannot start 'bin/node': it is not on PODFLOW_MCP_STDIO_COMMANDS");
    assertThatThrownBy(() -> commands.check(server("python3")))
        .isInstanceOf(McpServerRefusedException.class);
  }

  @Test
  void anEmptyListRefusesEveryServer() {
    StdioCommands none = StdioCommands.fromEnvironment(new Environment(Map.of("PATH", "/usr/bin")));
    assertThatThrownBy(() -> none.check(server("node")))
        .isInstanceOf(McpServerRefusedException.class)
        .hasMessage(
            "stdio MCP server 'tool' cannot start 'node': PODFLOW_MCP_STDIO_COMMANDS is empty, so"
                + " no stdio server may start");
  }

  @Test
  void anEntryThatIsNotThereFailsAtStart() {
    assertThatThrownBy(
            () ->
                StdioCommands.fromEnvironment(
                    new Environment(
                        Map.of(
                            "PODFLOW_MCP_STDIO_COMMANDS",
                            "no-such-command",
                            "PATH",
                            dir.toString()))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "PODFLOW_MCP_STDIO_COMMANDS lists 'no-such-command', which is not an executable file on"
                + " PATH");
  }
}
