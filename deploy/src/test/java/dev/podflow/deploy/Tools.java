package dev.podflow.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's files and the command-line tools these tests run. */
final class Tools {
  /** The repository root: this module's parent (Maven runs tests in the module's directory). */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private Tools() {}

  /** A command's exit code and its output (stdout and stderr together). */
  record Run(int exitCode, String output) {}

  /**
   * Runs {@code command} in {@code dir}. A missing executable fails naming the script that installs
   * it: the test command runs it, a bare {@code mvn test} may not have.
   */
  static Run run(Path dir, Duration timeout, List<String> command, String installedBy)
      throws IOException, InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          command.getFirst() + " is not installed: run " + installedBy + " (./podflow test does)",
          e);
    }
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " took longer than " + timeout);
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
