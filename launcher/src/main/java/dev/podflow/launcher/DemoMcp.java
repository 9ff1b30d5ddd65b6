package dev.podflow.launcher;

import dev.podflow.mcp.McpConfigFile;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's MCP server: the reference server {@code @modelcontextprotocol/server-everything},
 * offered to the demo's pods as {@code everything} (stdio) when Node is on the machine and {@code
 * ./podflow demo} could install the package ({@code scripts/install-npm-tools.sh}, which it runs
 * when it finds {@code node}). The sample {@code add-with-mcp} calls its {@code get-sum} tool. The
 * operator's own {@code PODFLOW_MCP_CONFIG}, when set, is used instead. Without Node the sample's
 * step fails with a clear error, and the welcome says why.
 */
final class DemoMcp {
  static final String SAMPLE = "add-with-mcp";
  static final Path SERVER =
      Path.of(
          "scripts",
          "npm",
          "node_modules",
          "@modelcontextprotocol",
          "server-everything",
          "dist",
          "index.js");

  private DemoMcp() {}

  /**
   * The pods' settings with the demo's catalogue (written beside the data directory) and allowlist,
   * when Node and the server are here and the operator named no catalogue; else empty.
   */
  static Optional<Map<String, String>> podSettings(Map<String, String> environment, Path dataDir) {
    if (environment.containsKey(McpConfigFile.SETTING)) return Optional.empty();
    Optional<Path> node = node(environment.get("PATH"));
    Optional<Path> server = server();
    if (node.isEmpty() || server.isEmpty()) return Optional.empty();
    var entry = Json.object().put("command", node.get().toString());
    entry.set("args", Json.MAPPER.valueToTree(List.of(server.get().toString(), "stdio")));
    var catalogue = Json.object();
    catalogue.putObject("mcpServers").set("everything", entry);
    Path file = dataDir.resolveSibling("mcp.json");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, catalogue.toPrettyString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the demo's MCP catalogue " + file, e);
    }
    Map<String, String> settings = new HashMap<>(environment);
    settings.put(McpConfigFile.SETTING, file.toAbsolutePath().toString());
    settings.put(StdioCommands.SETTING, node.get().toString());
    return Optional.of(settings);
  }

  /**
   * The installed server, under the project's directory: the working directory ({@code ./podflow}
   * runs there) or its parent (a module's tests run in the module's directory).
   */
  private static Optional<Path> server() {
    for (Path root : List.of(Path.of(""), Path.of(".."))) {
      Path server = root.resolve(SERVER).toAbsolutePath().normalize();
      if (Files.isRegularFile(server)) return Optional.of(server);
    }
    return Optional.empty();
  }

  /** {@code node} on {@code path}, as an absolute path. */
  static Optional<Path> node(String path) {
    if (path == null) return Optional.empty();
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) return Optional.of(candidate.toAbsolutePath());
    }
    return Optional.empty();
  }
}
