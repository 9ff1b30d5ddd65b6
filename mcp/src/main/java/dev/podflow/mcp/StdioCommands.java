package dev.podflow.mcp;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's allowlist of commands a stdio MCP server may start ({@value #SETTING}):
 * comma-separated absolute paths or bare names, a bare name standing for the file it finds on the
 * pod's {@code PATH} when the pod starts. A server's command is resolved the same way and must be
 * one of those files exactly, so {@code node} and {@code /usr/bin/node} match each other and {@code
 * /tmp/evil/node} matches neither. Symbolic links are not followed: a multi-call binary (busybox)
 * behaves by the name it is started as. The server is started by the absolute path, so a later
 * change of {@code PATH} cannot swap the program. Empty refuses every stdio server.
 *
 * <p>Allowing a package runner ({@code npx}, {@code uvx}, {@code docker}) lets whoever registers a
 * server run any package. Immutable and thread-safe.
 */
public final class StdioCommands {
  public static final String SETTING = "PODFLOW_MCP_STDIO_COMMANDS";

  private final Set<Path> allowed;
  private final List<Path> searchPath;

  /**
   * @param entries the allowlist's entries
   * @param path the pod's {@code PATH} (null: none) that bare names are looked up on
   */
  public StdioCommands(List<String> entries, String path) {
    this.searchPath = split(path);
    Set<Path> resolved = new LinkedHashSet<>();
    for (String entry : entries) {
      if (entry.isBlank()) continue;
      resolved.add(
          find(entry.trim())
              .orElseThrow(
                  () ->
                      new InvalidConfigurationException(
                          SETTING
                              + " lists '"
                              + entry.trim()
                              + "', which is not "
                              + (entry.contains("/")
                                  ? "an absolute path to an executable file"
                                  : "an executable file on PATH"))));
    }
    this.allowed = Set.copyOf(resolved);
  }

  /** The allowlist from {@value #SETTING}, bare names looked up on the environment's PATH. */
  public static StdioCommands fromEnvironment(Environment environment) {
    String list = environment.text(SETTING);
    return new StdioCommands(
        list == null ? List.of() : List.of(list.split(",")), environment.text("PATH"));
  }

  /** The files the allowlist names, each an absolute path. */
  public Set<Path> allowed() {
    return allowed;
  }

  /**
   * The absolute path to start for {@code spec}'s command.
   *
   * @throws McpServerRefusedException when the command is not on the allowlist
   */
  public Path check(McpServerSpec spec) {
    String command = spec.command();
    if (allowed.isEmpty()) {
      throw new McpServerRefusedException(
          spec.name(),
          "stdio MCP server '"
              + spec.name()
              + "' cannot start '"
              + command
              + "': "
              + SETTING
              + " is empty, so no stdio server may start");
    }
    Optional<Path> file = find(command);
    if (file.isEmpty() || !allowed.contains(file.get())) {
      throw new McpServerRefusedException(
          spec.name(),
          "stdio MCP server '"
              + spec.name()
              + "' cannot start '"
              + command
              + "'"
              + file.filter(f -> !f.toString().equals(command)).map(f -> " (" + f + ")").orElse("")
              + ": it is not on "
              + SETTING);
    }
    return file.get();
  }

  /** An absolute path as given (normalised), a bare name on PATH; empty when neither fits. */
  private Optional<Path> find(String command) {
    if (command.contains("/")) {
      Path path = Path.of(command);
      if (!path.isAbsolute()) return Optional.empty();
      path = path.normalize();
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(command).normalize();
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static List<Path> split(String path) {
    List<Path> dirs = new ArrayList<>();
    if (path == null) return dirs;
    for (String dir : path.split(File.pathSeparator)) {
      // An empty or relative PATH entry means "the working directory": never for a lookup here.
      if (!dir.isBlank() && Path.of(dir).isAbsolute()) dirs.add(Path.of(dir));
    }
    return dirs;
  }
}
