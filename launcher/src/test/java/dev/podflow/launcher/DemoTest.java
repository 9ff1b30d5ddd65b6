package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command: embedded PostgreSQL, API, two pods, and curl lines that work, run as
 * printed (ids put in place of ID and TASK) with no LLM configured, so on the offline model.
 */
class DemoTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final HttpClient http = HttpClient.newHttpClient();
  private static StartedDemo demo;
  private static String welcome;
  private static String adminKey;

  /** The header every printed API line carries, its key captured. */
  private static final String AUTH = " -H 'Authorization: Bearer (\\S+)'";

  @TempDir static Path dataDir;

  @BeforeAll
  static void startDemo() {
    demo = StartedDemo.start(dataDir);
    welcome = demo.welcome();
    adminKey = find("curl -s \\S+/processes/ID" + AUTH + "$").group(1);
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) demo.close();
  }

  @Test
  void newcomerRunsDraftReviewFinaliseWithThePrintedLinesOnTheOfflineModel() throws Exception {
    assertThat(welcome).contains("OFFLINE model", "NOT a real LLM", "model \"offline\"");

    // Start it, exactly as printed.
    Matcher start =
        find(
            "curl -s -X POST (\\S+)"
                + AUTH
                + " -H 'Content-Type: application/json'"
                + " -d '(\\{\"definitionId\":\"draft-review-finalise\".*)'");
    HttpResponse<String> started = post(start.group(1), start.group(2), start.group(3));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = Json.parse(started.body()).get("id").asText();

    // Watch it live, as printed: the stream follows the instance through the human wait.
    Matcher events = find("curl -N (\\S+/events)" + AUTH + " -H 'Accept: text/event-stream'");
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> sse =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(events.group(1).replace("ID", id)))
                .header("Authorization", "Bearer " + events.group(2))
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<List<String>> streamed =
        sse.thenApply(r -> r.body().collect(Collectors.toCollection(ArrayList::new)));

    // The reviewer's inbox, as printed, shows the task once the draft is written. Sent back
    // twice, the draft runs again each time; approved the third time, the process goes on.
    Matcher inboxLine = find("curl -s '(\\S+assignee=reviewer)'" + AUTH);
    URI inbox = URI.create(inboxLine.group(1));
    String reviewerKey = inboxLine.group(2);
    Matcher answer =
        find(
            "curl -s -X POST (\\S+/tasks/TASK/complete)"
                + AUTH
                + " -H 'Content-Type: application/json' -d '(.+)'");
    String comments = Json.parse(answer.group(3)).path("output").path("comments").asText();
    assertThat(comments).isNotBlank();
    for (int pass = 1; pass <= 3; pass++) {
      int reviewPass = pass;
      Eventually.await(
          PATIENCE,
          "review pass " + pass + " waits in the reviewer's inbox",
          () -> !reviewTasks(inbox, reviewerKey, id).isEmpty());
      JsonNode task = reviewTasks(inbox, reviewerKey, id).getFirst();
      assertThat(task.path("activityId").asText()).isEqualTo("review");
      assertThat(task.path("assignee").asText()).isEqualTo("reviewer");
      assertThat(task.path("form").path("required").toString()).contains("approved");
      assertThat(task.path("input").path("text").asText()).startsWith("[offline model] Write");
      assertThat(streamed).as("the stream stays open while a person decides").isNotDone();
      String body =
          pass < 3
              ? Json.object()
                  .set(
                      "output",
                      Json.object()
                          .put("approved", false)
                          .put("comments", "Not yet, round " + reviewPass))
                  .toString()
              : answer.group(3); // as printed
      HttpResponse<String> completed =
          post(answer.group(1).replace("TASK", task.path("id").asText()), answer.group(2), body);
      assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
    }

    URI process =
        URI.create(find("curl -s (\\S+/processes/ID)" + AUTH + "$").group(1).replace("ID", id));
    Eventually.await(
        PATIENCE,
        "the process completes",
        () -> get(process).path("status").asText().equals("COMPLETED"));
    JsonNode done = get(process);
    List<String> passes = new ArrayList<>();
    done.get("tasks")
        .forEach(t -> passes.add(t.path("activityId").asText() + "#" + t.path("pass").asInt()));
    assertThat(passes)
        .containsExactly(
            "draft#1", "review#1", "draft#2", "review#2", "draft#3", "review#3", "finalise#1");
    String finalText = done.path("output").path("text").asText();
    assertThat(finalText)
        .as("finalise saw the third review's comments and the draft")
        .startsWith("[offline model] Reviewer's comments: " + comments)
        .contains("Draft: [offline model] Write a first draft");

    List<String> sseLines = streamed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    List<String> types =
        sseLines.stream()
            .filter(l -> l.startsWith("event:"))
            .map(l -> l.substring(6).trim())
            .toList();
    assertThat(types)
        .containsSubsequence(
            "process_started",
            "llm_call",
            "task_waiting",
            "task_completed",
            "llm_call",
            "process_completed");

    JsonNode calls = get(URI.create(process + "/events")).get("events");
    List<JsonNode> llmCalls = new ArrayList<>();
    calls.forEach(
        e -> {
          if (e.path("type").asText().equals("llm_call")) llmCalls.add(e.path("payload"));
        });
    assertThat(llmCalls).as("three drafts and the final text").hasSize(4);
    assertThat(llmCalls)
        .allSatisfy(
            p -> {
              assertThat(p.path("model").asText()).isEqualTo("offline");
              assertThat(p.path("offline").asBoolean()).isTrue();
              assertThat(p.path("outcome").asText()).isEqualTo("ok");
            });

    // The dashboard's LLM panels query metrics this run produced, under these exact names.
    String metrics = getText(URI.create("http://localhost:" + demo.apiPort() + "/metrics"), null);
    JsonNode dashboard =
        Json.parse(Files.readString(Path.of("..", "grafana", "podflow-dashboard.json")));
    Matcher names = Pattern.compile("podflow_llm_\\w+").matcher(dashboard.toString());
    int seen = 0;
    while (names.find()) {
      seen++;
      assertThat(metrics).contains(names.group() + "{").contains("model=\"offline\"");
    }
    assertThat(seen).as("LLM panels in the dashboard").isGreaterThanOrEqualTo(3);
  }

  @Test
  void newcomerStartsTheGreetSampleWithThePrintedCurlLineAndSeesItComplete() throws Exception {
    URI process = startPrintedAndAwaitCompletion("greet");
    JsonNode done = get(process);
    assertThat(done.get("output").get("name").asText()).isEqualTo("Ada");
    assertThat(done.get("tasks")).hasSize(3);
    JsonNode events = get(URI.create(process + "/events")).get("events");
    assertThat(events.findValuesAsText("type"))
        .contains("process_started", "task_claimed", "task_completed", "process_completed");
  }

  @Test
  void newcomerStartsTheMcpSampleAndSeesTheToolsAnswerAndItsCall() throws Exception {
    URI process = startPrintedAndAwaitCompletion(DemoMcp.SAMPLE);
    assertThat(get(process).get("output").toString()).contains("42");
    JsonNode events = get(URI.create(process + "/events")).get("events");
    assertThat(events.findValuesAsText("type")).contains("mcp_call");
  }

  @Test
  void newcomerStartsTheA2aSampleAndItsClauseGoesToTheDemosOwnAgent() throws Exception {
    URI process = startPrintedAndAwaitCompletion(DemoA2a.SAMPLE);
    JsonNode output = get(process).get("output");
    assertThat(output.at("/data/text").asText())
        .as("the clause reached the agent process as its input")
        .contains("Payment is due 90 days");
    assertThat(output.at("/data/text").asText()).startsWith("[offline model]");
    JsonNode events = get(URI.create(process + "/events")).get("events");
    assertThat(events.findValuesAsText("type")).contains("a2a_call");
    assertThat(welcome).contains("/a2a/demo/clause-check/.well-known/agent-card.json");
  }

  @Test
  void newcomerCorrectsTheSupportAgentAndItsNextAnswerCarriesTheCorrection() throws Exception {
    URI first = startPrintedAndAwaitCompletion(DemoMemory.SAMPLE, 1);
    JsonNode answered = get(first);
    assertThat(answered.at("/output/text").asText())
        .startsWith("[offline model] Answer the customer")
        .doesNotContain("2 business days");

    Matcher feedback =
        find(
            "curl -s -X POST (\\S+/tasks/TASK/feedback)"
                + AUTH
                + " -H 'Content-Type: application/json' -d '(.+)'");
    String task = answered.at("/tasks/0/id").asText();
    HttpResponse<String> rated =
        post(feedback.group(1).replace("TASK", task), feedback.group(2), feedback.group(3));
    assertThat(rated.statusCode()).as(rated.body()).isEqualTo(201);
    long memoryId = Json.parse(rated.body()).path("memoryId").asLong();
    URI memories =
        URI.create(
            "http://localhost:"
                + demo.apiPort()
                + "/api/v1/agents/"
                + DemoMemory.AGENT
                + "/memories");
    Eventually.await(
        PATIENCE,
        "a pod embedded the correction",
        () -> {
          for (JsonNode m : get(memories).path("memories")) {
            if (m.path("id").asLong() == memoryId) return m.path("embedded").asBoolean();
          }
          return false;
        });

    URI second = startPrintedAndAwaitCompletion(DemoMemory.SAMPLE, 2);
    assertThat(get(second).at("/output/text").asText())
        .as("the offline model echoes the prompt's start, which now carries the correction")
        .contains("Refunds are paid within 2 business days.");
    JsonNode recall = null;
    for (JsonNode e : get(URI.create(second + "/events")).get("events")) {
      if (e.path("type").asText().equals("memory_recall")) recall = e.path("payload");
    }
    assertThat(recall).as("a memory_recall event").isNotNull();
    assertThat(recall.at("/memories/0/id").asLong()).isEqualTo(memoryId);
    assertThat(recall.path("backend").asText()).isEqualTo("EXACT");
  }

  @Test
  void newcomerStartsDeepResearchAndSeesItFanOutToChildTasksAndJoin() throws Exception {
    URI process = startPrintedAndAwaitCompletion("research");
    JsonNode done = get(process);
    List<JsonNode> children = new ArrayList<>();
    for (JsonNode task : done.get("tasks")) {
      if (!task.path("parentTaskId").isNull()) children.add(task);
    }
    assertThat(children).as("the offline planner asks at least three sub-questions").hasSize(3);
    assertThat(done.get("output").get("report").asText()).startsWith("[offline model]");
    assertThat(done.get("output").get("findings")).hasSize(3);
    JsonNode events = get(URI.create(process + "/events")).get("events");
    assertThat(events.findValuesAsText("type")).contains("task_waiting", "task_resumed");
  }

  /** Runs the welcome's curl line that starts {@code definitionId}; waits for COMPLETED. */
  private static URI startPrintedAndAwaitCompletion(String definitionId) throws Exception {
    return startPrintedAndAwaitCompletion(definitionId, 1);
  }

  /** Runs the {@code nth} of the welcome's curl lines that start {@code definitionId}. */
  private static URI startPrintedAndAwaitCompletion(String definitionId, int nth) throws Exception {
    Matcher curl =
        find(
            "curl -s -X POST (\\S+)"
                + AUTH
                + " -H 'Content-Type: application/json' -d '(\\{\"definitionId\":\""
                + definitionId
                + "\".*)'");
    for (int i = 1; i < nth; i++) {
      assertThat(curl.find()).as("line %s starting %s", i + 1, definitionId).isTrue();
    }
    HttpResponse<String> started = post(curl.group(1), curl.group(2), curl.group(3));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = Json.parse(started.body()).get("id").asText();
    URI process = URI.create("http://localhost:" + demo.apiPort() + "/api/v1/processes/" + id);
    Eventually.await(
        Duration.ofSeconds(30),
        definitionId + " completes",
        () -> get(process).get("status").asText().equals("COMPLETED"));
    return process;
  }

  private static Matcher find(String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(welcome);
    assertThat(m.find()).as("the welcome prints a line matching %s:%n%s", regex, welcome).isTrue();
    return m;
  }

  private static List<JsonNode> reviewTasks(URI inbox, String key, String processId) {
    List<JsonNode> tasks = new ArrayList<>();
    for (JsonNode t : Json.parse(getText(inbox, key)).path("tasks")) {
      if (t.path("processId").asText().equals(processId)) tasks.add(t);
    }
    return tasks;
  }

  private static HttpResponse<String> post(String uri, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code uri} with the admin key the welcome prints. */
  private static JsonNode get(URI uri) {
    return Json.parse(getText(uri, adminKey));
  }

  private static String getText(URI uri, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (key != null) request.header("Authorization", "Bearer " + key);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
