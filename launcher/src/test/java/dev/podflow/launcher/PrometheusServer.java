package dev.podflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's {@code prometheus} package, installed by {@code
 * scripts/install-debian-tools.sh}) run as a child process on a free port, scraping the given jobs
 * every second into a throw-away TSDB under {@code target/}.
 */
final class PrometheusServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final URI base;
  private final Path log;

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /** Starts Prometheus scraping {@code jobs} (job name → {@code host:port} targets). */
  static PrometheusServer start(Map<String, List<String>> jobs) throws IOException {
    Path binary =
        Executables.onPath("prometheus")
            .orElseThrow(
                () ->
                    new AssertionError(
                        "prometheus is not on the PATH: run scripts/install-debian-tools.sh"
                            + " (Debian's prometheus package), as the test command does"));
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "prometheus");
    StringBuilder config =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
    jobs.forEach(
        (job, targets) ->
            config
                .append("  - job_name: ")
                .append(job)
                .append("\n    static_configs:\n      - targets: [")
                .append(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")))
                .append("]\n"));
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
    Eventually.await(Duration.ofSeconds(30), "Prometheus ready", server::ready);
    return server;
  }

  /** Whether every target of every job answered its last scrape. */
  boolean allTargetsUp(int expected) {
    JsonNode active = get("/api/v1/targets?state=active").path("data").path("activeTargets");
    int up = 0;
    for (JsonNode target : active) if (target.path("health").asText().equals("up")) up++;
    return up == expected && active.size() == expected;
  }

  /** The {@code /api/v1/query} answer to {@code expr} at the current time. */
  JsonNode query(String expr) {
    return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean ready() {
    if (!process.isAlive()) throw new AssertionError("Prometheus exited:\n" + log());
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The JSON answer, also for a query error (HTTP 400/422 with {@code status: error}). */
  private JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve(pathAndQuery))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return Json.parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
