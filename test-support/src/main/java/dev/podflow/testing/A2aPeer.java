package dev.podflow.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real A2A peer of the tests, {@code scripts/npm/a2a-peer.mjs} on {@code @a2a-js/sdk}, run by
 * node on a free port of 127.0.0.1: its message says what it does ({@code echo:}, {@code task:},
 * {@code slow:}, {@code ask:}, {@code fail:}, {@code hang}; see the script). Close it to stop it.
 */
public final class A2aPeer implements AutoCloseable {
  private final Process process;
  private final int port;

  private A2aPeer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the peer with {@code environment} added to its own ({@code PEER_TOKEN}, {@code
   * PEER_SLOW_MS}); returns once it listens.
   */
  public static A2aPeer start(Map<String, String> environment) {
    Path script = NpmTools.modules().getParent().resolve("a2a-peer.mjs");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(NpmTools.node().toString(), script.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("a2a-peer listening on ")) {
        process.destroyForcibly();
        throw new AssertionError("the A2A peer did not start: " + line);
      }
      Thread.ofVirtual().start(() -> out.lines().forEach(l -> {})); // keep its pipe drained
      return new A2aPeer(process, Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The URL of its agent card. */
  public String cardUrl() {
    return "http://127.0.0.1:" + port + "/.well-known/agent-card.json";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
