package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.testing.NpmTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer in a real browser: the demo as {@code ./podflow demo} runs it, and
 * scripts/npm/console-e2e.mjs driving Debian's headless Chromium through playwright-core. With the
 * printed admin key it starts "Draft, review, finalise" from the console, with the printed reviewer
 * key it answers the review in the inbox (phone-sized), and the admin's page, never reloaded, shows
 * the process complete over its live stream. Every page passes axe-core (no serious or critical
 * violation) and is photographed at desktop and phone width into target/console-screenshots. No
 * console error or uncaught page error in any browser context.
 *
 * <p>Chromium comes from scripts/install-debian-tools.sh and playwright-core with axe-core from
 * scripts/install-npm-tools.sh (the test command runs both); a missing one fails the test, never
 * skips it.
 */
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration BUDGET = Duration.ofMinutes(4);
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

  @TempDir Path dataDir;

  @Test
  void newcomerStartsTheSampleAnswersTheReviewAndWatchesItCompleteInTheConsole() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(
          CHROMIUM + " is missing: run scripts/install-debian-tools.sh (./podflow test runs it)");
    }
    Path modules = NpmTools.modules();
    for (String tool : new String[] {"playwright-core/package.json", "axe-core/axe.min.js"}) {
      if (!Files.isRegularFile(modules.resolve(tool))) {
        throw new AssertionError(
            modules.resolve(tool)
                + " is missing: run scripts/install-npm-tools.sh (./podflow test runs it)");
      }
    }
    Path script = modules.getParent().resolve("console-e2e.mjs");
    assertThat(script).isRegularFile();
    clean(SCREENSHOTS);

    try (StartedDemo demo = StartedDemo.start(dataDir)) {
      ProcessBuilder browserRun =
          new ProcessBuilder(NpmTools.node().toString(), script.toString())
              .directory(modules.getParent().toFile())
              .redirectErrorStream(true);
      Map<String, String> env = browserRun.environment();
      env.put("PODFLOW_URL", "http://localhost:" + demo.apiPort());
      env.put("ADMIN_KEY", demo.key("admin"));
      env.put("REVIEWER_KEY", demo.key("reviewer"));
      env.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
      env.put("CHROMIUM", CHROMIUM.toString());

      Process run = browserRun.start();
      StringBuilder output = new StringBuilder();
      Thread pump =
          Thread.ofPlatform()
              .name("console-e2e output")
              .start(
                  () -> {
                    try (BufferedReader lines =
                        new BufferedReader(
                            new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                      for (String line; (line = lines.readLine()) != null; ) {
                        System.out.println(line);
                        synchronized (output) {
                          output.append(line).append('\n');
                        }
                      }
                    } catch (IOException e) {
                      // the process was ended: what it printed so far is kept
                    }
                  });
      boolean finished = run.waitFor(BUDGET.toSeconds(), TimeUnit.SECONDS);
      if (!finished) {
        run.descendants().forEach(ProcessHandle::destroyForcibly);
        run.destroyForcibly();
        run.waitFor(10, TimeUnit.SECONDS);
      }
      pump.join(Duration.ofSeconds(10));
      String said;
      synchronized (output) {
        said = output.toString();
      }
      assertThat(finished)
          .as("console-e2e.mjs finished within %s; it printed:%n%s", BUDGET, said)
          .isTrue();
      assertThat(run.exitValue())
          .as("console-e2e.mjs exit code (screenshots in %s); it printed:%n%s", SCREENSHOTS, said)
          .isZero();
      assertThat(said).contains("[console-e2e] PASSED");
    }
  }

  /** The key the welcome prints on its line {@code " <who>: <key>"}. */
  /** An empty {@code dir}: the screenshots of an earlier run are not mistaken for this one's. */
  private static void clean(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
