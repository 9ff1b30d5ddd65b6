package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's run command: embedded PostgreSQL, API, two pods, and a curl line that works. */
class DemoTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void newcomerStartsTheSampleWithThePrintedCurlLineAndSeesItComplete() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (RunningSystem demo =
        Demo.start(
            new Settings(Map.of("PODFLOW_HTTP_PORT", "0")),
            new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      String welcome = printed.toString(StandardCharsets.UTF_8);
      Matcher curl =
          Pattern.compile("curl -s -X POST (\\S+) -H 'Content-Type: application/json' -d '(.+)'")
              .matcher(welcome);
      assertThat(curl.find()).as(welcome).isTrue();

      HttpResponse<String> started =
          http.send(
              HttpRequest.newBuilder(URI.create(curl.group(1)))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(curl.group(2)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
      String id = Json.parse(started.body()).get("id").asText();
      URI process = URI.create("http://localhost:" + demo.apiPort() + "/api/v1/processes/" + id);

      Eventually.await(
          Duration.ofSeconds(30),
          "the sample process completes",
          () -> get(process).get("status").asText().equals("COMPLETED"));
      JsonNode done = get(process);
      assertThat(done.get("output").get("name").asText()).isEqualTo("Ada");
      assertThat(done.get("tasks")).hasSize(3);
      JsonNode events = get(URI.create(process + "/events")).get("events");
      assertThat(events.findValuesAsText("type"))
          .contains("process_started", "task_claimed", "task_completed", "process_completed");
    }
  }

  private JsonNode get(URI uri) {
    try {
      return Json.parse(
          http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
              .body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
