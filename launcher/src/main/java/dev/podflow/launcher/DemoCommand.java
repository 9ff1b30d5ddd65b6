package dev.podflow.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./podflow demo [--fresh]}: starts the {@link Demo} and serves until stopped. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "everything in one process: PostgreSQL (embedded unless DATABASE_URL is set), migrations,"
          + " the API on PODFLOW_HTTP_PORT (8080), two pods and the samples (agent drafts -> a"
          + " person reviews -> agent finalises; research; greet).",
      "The embedded PostgreSQL keeps its data in PODFLOW_DATA_DIR (.podflow/data), which the next"
          + " demo reuses; one demo at a time per directory (a second one exits with status 3)."
    })
final class DemoCommand implements Callable<Integer> {
  private final Settings settings;

  @Option(
      names = "--fresh",
      description = "delete the embedded PostgreSQL's data first and start over")
  private boolean fresh;

  DemoCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    EmbeddedDatabase.Data data = fresh ? EmbeddedDatabase.Data.FRESH : EmbeddedDatabase.Data.KEEP;
    Demo.start(settings, data, System.out).serveUntilStopped();
    return 0;
  }
}
