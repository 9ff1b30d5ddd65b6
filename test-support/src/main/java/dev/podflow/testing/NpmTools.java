package dev.podflow.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The npm tools scripts/install-npm-tools.sh installs (the test command runs it first). A missing
 * tool fails the test with the command that installs it, never skips it.
 */
public final class NpmTools {
  private NpmTools() {}

  public static Path modules() {
    Path dir = Path.of("..", "scripts", "npm", "node_modules").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new AssertionError(
          dir + " is missing: run scripts/install-npm-tools.sh (./podflow test runs it)");
    }
    return dir;
  }

  /** An executable under node_modules/.bin, e.g. mcp-server-everything. */
  public static Path bin(String name) {
    Path bin = modules().resolve(".bin").resolve(name);
    if (!Files.isExecutable(bin)) {
      throw new AssertionError(
          bin + " is missing: run scripts/install-npm-tools.sh (./podflow test runs it)");
    }
    return bin;
  }

  public static Path everything() {
    return bin("mcp-server-everything");
  }

  /** The test resource servers/{name}, as a file node can run. */
  public static Path server(String name) {
    Path file = Path.of("src", "test", "resources", "servers", name).toAbsolutePath();
    if (!Files.isRegularFile(file)) throw new AssertionError(file + " is missing");
    return file;
  }

  /** node on the test JVM's PATH, as an absolute path. */
  public static Path node() {
    return Executables.onPath("node")
        .orElseThrow(() -> new AssertionError("node is not on PATH: install Node 20 or newer"));
  }
}
