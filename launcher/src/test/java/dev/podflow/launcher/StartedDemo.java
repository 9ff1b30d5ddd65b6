package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./podflow demo} started in the test's JVM as a newcomer runs it: the API on a free port,
 * the embedded PostgreSQL's data in {@code dataDir}, the caller's PATH (for the MCP sample's npm
 * server), and what it printed.
 */
record StartedDemo(RunningSystem system, String welcome) implements AutoCloseable {

  static StartedDemo start(Path dataDir) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RunningSystem system =
        Demo.start(
            new Settings(
                Map.of(
                    "PODFLOW_HTTP_PORT",
                    "0",
                    "PODFLOW_DATA_DIR",
                    dataDir.toString(),
                    "PATH",
                    System.getenv("PATH"))),
            EmbeddedDatabase.Data.KEEP,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    return new StartedDemo(system, printed.toString(StandardCharsets.UTF_8));
  }

  int apiPort() {
    return system.apiPort();
  }

  /** The key the welcome prints for {@code who} ({@code admin}, {@code reviewer}). */
  String key(String who) {
    Matcher m = Pattern.compile("^  " + who + ":\\s+(\\S+)$", Pattern.MULTILINE).matcher(welcome);
    assertThat(m.find()).as("the welcome prints the %s key:%n%s", who, welcome).isTrue();
    return m.group(1);
  }

  @Override
  public void close() {
    system.close();
  }
}
