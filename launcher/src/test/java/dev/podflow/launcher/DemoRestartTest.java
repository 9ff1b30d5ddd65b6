package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Json;
import dev.podflow.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./podflow demo} as separate processes on one data directory: a second demo is refused
 * while the first runs, and after the first is killed the next demo finds its data, seeds nothing
 * twice and goes on where it stopped.
 */
class DemoRestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final Pattern API = Pattern.compile("API on (http://localhost:\\d+)");
  private static final Pattern ADMIN_KEY = Pattern.compile("admin: +(pfk_\\S+)");
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final List<Process> demos = new ArrayList<>();

  @AfterEach
  void stopDemos() throws InterruptedException {
    for (Process p : demos) p.destroyForcibly();
    for (Process p : demos) p.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void aSecondDemoIsRefusedAndAfterAKillTheNextOneGoesOnWithTheSameData() throws Exception {
    Process first = demo("first");
    String api = awaitApi("first");
    Eventually.await(
        PATIENCE, "the first demo prints its keys", () -> ADMIN_KEY.matcher(log("first")).find());
    String key = adminKey(log("first"));
    String id = startGreet(api, key);

    Process second = demo("second");
    assertThat(second.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isEqualTo(Podflow.EXIT_ALREADY_RUNNING);
    assertThat(log("second")).contains("podflow: an embedded PostgreSQL is already running on");
    assertThat(get(api + "/api/v1/processes/" + id, key).statusCode()).isEqualTo(200);

    first.destroyForcibly(); // SIGKILL: its PostgreSQL is left running without it
    assertThat(first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (RunningSystem next =
        Demo.start(
            new Settings(Map.of("PODFLOW_HTTP_PORT", "0", "PODFLOW_DATA_DIR", dataDir())),
            EmbeddedDatabase.Data.KEEP,
            new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      String again = "http://localhost:" + next.apiPort();
      String newKey = adminKey(printed.toString(StandardCharsets.UTF_8));
      assertThat(get(again + "/api/v1/processes/" + id, key).statusCode())
          .as("the last demo's key is revoked: keys are new at every start")
          .isEqualTo(401);
      Eventually.await(
          PATIENCE,
          "the process started before the kill completes after the restart",
          () ->
              Json.parse(get(again + "/api/v1/processes/" + id, newKey).body())
                  .path("status")
                  .asText()
                  .equals("COMPLETED"));
      assertThat(
              Json.parse(get(again + "/api/v1/definitions/greet", newKey).body())
                  .path("version")
                  .asInt())
          .as("the samples are not published again")
          .isEqualTo(1);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("data kept in");
  }

  private Process demo(String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            Podflow.class.getName(),
            "demo");
    builder.environment().remove("DATABASE_URL");
    builder.environment().put("PODFLOW_HTTP_PORT", "0");
    builder.environment().put("PODFLOW_DATA_DIR", dataDir());
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
    Process process = builder.start();
    demos.add(process);
    return process;
  }

  private String awaitApi(String name) {
    Eventually.await(PATIENCE, name + " demo is running", () -> API.matcher(log(name)).find());
    Matcher api = API.matcher(log(name));
    assertThat(api.find()).isTrue();
    return api.group(1);
  }

  private static String adminKey(String printed) {
    Matcher key = ADMIN_KEY.matcher(printed);
    assertThat(key.find()).as("the demo prints its admin key:%n%s", printed).isTrue();
    return key.group(1);
  }

  private String startGreet(String api, String key) throws Exception {
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/processes"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"definitionId\":\"greet\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    return Json.parse(started.body()).path("id").asText();
  }

  private static HttpResponse<String> get(String uri, String key) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(uri))
              .header("Authorization", "Bearer " + key)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String log(String name) {
    try {
      Path out = dir.resolve(name + ".out");
      return Files.exists(out) ? Files.readString(out) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String dataDir() {
    return dir.resolve("data").toString();
  }
}
