package dev.podflow.launcher;

import dev.podflow.mcp.McpConfigFile;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.store.Json;
import dev.podflow.store.secret.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
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
   * The settings the demo's API and pods share: {@code environment}, plus the demo's catalogue
   * (written beside the data directory) and allowlist when Node and the server are here and the
   * operator named no catalogue, plus a key for the tenant secret store when the operator gave none
   * ({@link #secretsKey}).
   */
  static Map<String, String> settings(Map<String, String> environment, Path dataDir) {
    Map<String, String> settings =
        new HashMap<>(catalogue(environment, dataDir).orElse(environment));
    if (!settings.containsKey(SecretCipher.KEY_VARIABLE)) {
      settings.put(SecretCipher.KEY_VARIABLE, secretsKey(dataDir));
    }
    return settings;
  }

  /**
   * The demo's secret-store key, kept beside the data directory (readable by its owner only) so
   * that secrets stored in one demo still decrypt in the next; made on the first run.
   */
  private static String secretsKey(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolveSibling("secrets.key");
    try {
      if (Files.isRegularFile(file)) return Files.readString(file).strip();
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String text = Base64.getEncoder().encodeToString(key);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep the demo's secrets key in " + file, e);
    }
  }

  /**
   * The environment with the demo's catalogue and allowlist, when Node and the server are here and
   * the operator named no catalogue; else empty.
   */
  private static Optional<Map<String, String>> catalogue(
      Map<String, String> environment, Path dataDir) {
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
