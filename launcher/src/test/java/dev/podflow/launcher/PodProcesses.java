package dev.podflow.launcher;

import dev.podflow.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts real {@code Podflow pod} and {@code Podflow notifier} JVMs against the test database, as
 * {@code ./podflow pod} and {@code ./podflow notifier} would.
 */
final class PodProcesses implements AutoCloseable {
  private final TestDatabase testDb;
  private final List<Process> processes = new ArrayList<>();
  private final Path logDir;

  PodProcesses(TestDatabase testDb) throws IOException {
    this.testDb = testDb;
    this.logDir = Files.createDirectories(Path.of("target", "pod-logs"));
  }

  Process start(String podId, Map<String, String> extraEnv) throws IOException {
    return launch("pod", podId, Map.of("PODFLOW_POD_ID", podId), extraEnv);
  }

  /** A notifier process; its log is {@link #log}{@code (notifierId)}. */
  Process startNotifier(String notifierId, Map<String, String> extraEnv) throws IOException {
    return launch("notifier", notifierId, Map.of("PODFLOW_NOTIFIER_ID", notifierId), extraEnv);
  }

  private Process launch(
      String command, String name, Map<String, String> idEnv, Map<String, String> extraEnv)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Podflow.class.getName(),
            command);
    Map<String, String> env = builder.environment();
    env.put("DATABASE_URL", testDb.url());
    env.putAll(idEnv);
    env.put("PODFLOW_METRICS_PORT", "0");
    env.putAll(extraEnv);
    File log = logDir.resolve(name + ".log").toFile();
    builder.redirectErrorStream(true).redirectOutput(log);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  String log(String name) {
    try {
      return Files.readString(logDir.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) p.destroyForcibly();
    for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
  }
}
