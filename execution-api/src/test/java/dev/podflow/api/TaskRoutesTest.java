package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inbox ({@code GET /api/v1/tasks}, paged as {@link PaginationTest} checks) and a person's
 * answer ({@code POST …/complete}).
 */
@ExtendWith(PodflowDatabaseExtension.class)
class TaskRoutesTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final JsonNode FORM =
      Json.parse(
          """
          {"type":"object","required":["approved"],"additionalProperties":false,
           "properties":{"approved":{"type":"boolean"},"note":{"type":"string","maxLength":20}}}""");

  private TestDatabase testDb;
  private Database db;
  private ExecutionApi api;
  private ApiClient client;
  private Engine engine;

  @BeforeEach
  void start(TestDatabase testDb) {
    this.testDb = testDb;
    this.db = testDb.database();
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
    engine =
        new Engine(
            db.jdbi(),
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.jdbi()));
    HttpResponse<String> published =
        client.postJson(
            "/api/v1/definitions",
            """
            {"id":"review","name":"Review a draft","activities":[
              {"id":"check","name":"Check the draft","orchestrator":"human",
               "config":{"assignee":"ada","form":%s}},
              {"id":"finish","orchestrator":"noop"}]}"""
                .formatted(FORM));
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theInboxListsWaitingTasksByAssigneeNewestFirstInPages() {
    long a1 = waitingTask("ada", FORM);
    long b1 = waitingTask("bob", null);
    long a2 = waitingTask("ada", FORM);
    long a3 = waitingTask("ada", FORM);
    startProcess(); // queued, not waiting: never in the inbox

    JsonNode ada = json(ok(client.get("/api/v1/tasks?status=WAITING&assignee=ada")));
    assertThat(ids(ada)).containsExactly(a3, a2, a1);
    assertThat(ada.get("next").isNull()).isTrue();
    JsonNode newest = ada.path("tasks").get(0);
    assertThat(newest.path("processId").asText()).hasSize(36);
    assertThat(newest.path("activityId").asText()).isEqualTo("check");
    assertThat(newest.path("name").asText()).isEqualTo("Check the draft");
    assertThat(newest.path("definitionId").asText()).isEqualTo("review");
    assertThat(newest.path("definitionName").asText()).isEqualTo("Review a draft");
    assertThat(newest.path("assignee").asText()).isEqualTo("ada");
    assertThat(newest.path("status").asText()).isEqualTo("WAITING");
    assertThat(newest.path("form")).isEqualTo(FORM);
    assertThat(newest.path("input")).isEqualTo(Json.object().put("doc", "draft"));
    assertThat(newest.path("createdAt").asText()).isNotBlank();

    assertThat(ids(json(ok(client.get("/api/v1/tasks?status=WAITING&assignee=bob")))))
        .containsExactly(b1);
    assertThat(ids(json(ok(client.get("/api/v1/tasks?status=WAITING")))))
        .containsExactly(a3, a2, b1, a1);
    JsonNode page1 = json(ok(client.get("/api/v1/tasks?status=WAITING&assignee=ada&limit=2")));
    assertThat(ids(page1)).containsExactly(a3, a2);
    JsonNode page2 =
        json(
            ok(
                client.get(
                    "/api/v1/tasks?status=WAITING&assignee=ada&limit=2&cursor="
                        + page1.get("next").asText())));
    assertThat(ids(page2)).containsExactly(a1);
    assertThat(page2.get("next").isNull()).isTrue();
    assertThat(ids(json(ok(client.get("/api/v1/tasks?status=WAITING&assignee=nobody"))))).isEmpty();

    JsonNode done = assertProblem(client.get("/api/v1/tasks?status=DONE"), 400, "invalid-request");
    assertThat(done.path("detail").asText()).contains("WAITING");
    assertProblem(client.get("/api/v1/tasks"), 400, "invalid-request");
    assertProblem(client.get("/api/v1/tasks?status=waiting"), 400, "invalid-request");
    assertProblem(client.get("/api/v1/tasks?status=WAITING&assignee="), 400, "invalid-request");
    assertProblem(client.get("/api/v1/tasks?status=WAITING&limit=501"), 400, "invalid-request");
    assertProblem(client.get("/api/v1/tasks?status=WAITING&cursor=x"), 400, "invalid-request");
    JsonNode after =
        assertProblem(
            client.get("/api/v1/tasks?status=WAITING&after=" + a1), 400, "invalid-request");
    assertThat(after.path("detail").asText()).contains("cursor");
  }

  @Test
  void anAnswerCompletesTheTaskAndResumesTheProcessOnce() {
    long id = waitingTask("ada", FORM);
    String process = processOf(id);
    String answer = "{\"output\":{\"approved\":true,\"note\":\"fine\"}}";

    JsonNode done = json(ok(client.postJson(completePath(id), answer)));

    assertThat(done.path("id").asLong()).isEqualTo(id);
    assertThat(done.path("status").asText()).isEqualTo("DONE");
    assertThat(done.path("output")).isEqualTo(Json.parse(answer).get("output"));
    assertThat(done.path("finishedAt").asText()).isNotBlank();
    JsonNode instance = json(ok(client.get("/api/v1/processes/" + process)));
    assertThat(instance.path("status").asText()).isEqualTo("RUNNING");
    assertThat(instance.path("tasks")).hasSize(2);
    assertThat(instance.path("tasks").get(1).path("activityId").asText()).isEqualTo("finish");
    assertThat(instance.path("tasks").get(1).path("status").asText()).isEqualTo("PENDING");
    ClaimedTask next = engine.queue().claim("pod", LEASE, 1).stream().findFirst().orElseThrow();
    assertThat(next.task().input()).isEqualTo(Json.parse(answer).get("output"));
    assertThat(
            new EventLog(testDb)
                .payloads(id, "task_completed").stream()
                    .filter(p -> p.path("completedBy").asText().equals("human"))
                    .count())
        .isEqualTo(1);
    assertThat(ids(json(ok(client.get("/api/v1/tasks?status=WAITING"))))).isEmpty();

    RowCounts before = RowCounts.of(db);
    JsonNode again =
        assertProblem(client.postJson(completePath(id), answer), 409, "task-not-waiting");
    assertThat(again.path("detail").asText()).contains("DONE");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void anAnswerThatBreaksTheFormIsRefusedWithPointersAndChangesNothing() {
    long id = waitingTask("ada", FORM);
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson(
                completePath(id), "{\"output\":{\"approved\":\"yes\",\"colour\":\"red\"}}"),
            422,
            "invalid-task-output");

    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .contains("/output/approved", "/output");
    assertThat(problem.path("errors").findValuesAsText("detail")).allMatch(d -> !d.isBlank());
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM todolist WHERE id = " + id)).isEqualTo("WAITING");

    assertProblem(client.postJson(completePath(id), "{\"output\":{}}"), 422, "invalid-task-output");
    assertProblem(client.postJson(completePath(id), "{}"), 400, "invalid-request");
    assertProblem(client.postJson(completePath(id), "{\"output\":[1]}"), 400, "invalid-request");
    assertProblem(
        client.postJson(completePath(id), "{\"output\":{\"approved\":true},\"by\":\"x\"}"),
        400,
        "invalid-request");
    assertProblem(client.post(completePath(id), "{\"output\":{}}"), 415, "unsupported-media-type");
    assertProblem(
        client.postJson(completePath(id), "{\"output\":{\"approved\":true,\"note\":\"\\u0000\"}}"),
        422,
        "unstorable-json");
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM todolist WHERE id = " + id)).isEqualTo("WAITING");
  }

  @Test
  void aTaskWithoutAFormTakesAnyObject() {
    long id = waitingTask("bob", null);
    JsonNode done = json(ok(client.postJson(completePath(id), "{\"output\":{\"x\":[1,2]}}")));
    assertThat(done.path("status").asText()).isEqualTo("DONE");
    assertThat(done.path("form").isNull()).isTrue();
  }

  @Test
  void unknownAndUnparkedTasksAreRefused() {
    assertProblem(client.postJson(completePath(987_654), "{\"output\":{}}"), 404, "task-not-found");
    assertProblem(
        client.postJson("/api/v1/tasks/abc/complete", "{\"output\":{}}"), 400, "invalid-request");
    startProcess();
    long pending =
        engine.queue().claim("pod", LEASE, 1).stream().findFirst().orElseThrow().task().id();
    JsonNode running =
        assertProblem(
            client.postJson(completePath(pending), "{\"output\":{\"approved\":true}}"),
            409,
            "task-not-waiting");
    assertThat(running.path("detail").asText()).contains("IN_PROGRESS");
  }

  @Test
  void ofTenConcurrentAnswersExactlyOneWins() throws Exception {
    long id = waitingTask("ada", FORM);
    RowCounts before = RowCounts.of(db);
    int threads = 10;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String body = "{\"output\":{\"approved\":true,\"note\":\"answer " + i + "\"}}";
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return client.postJson(completePath(id), body).statusCode();
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) statuses.add(answer.get());
      assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 1);
    } finally {
      pool.shutdownNow();
    }
    RowCounts after = RowCounts.of(db);
    assertThat(after.tasks()).as("one successor queued").isEqualTo(before.tasks() + 1);
    assertThat(new EventLog(testDb).count(id, "task_completed")).isEqualTo(1);
  }

  @Test
  void aHumanActivityWithoutAssigneeOrWithABrokenFormIsNotPublished() {
    RowCounts before = RowCounts.of(db);
    JsonNode problem =
        assertProblem(
            client.postJson(
                "/api/v1/definitions",
                """
                {"id":"bad","activities":[
                  {"id":"a","orchestrator":"human"},
                  {"id":"b","orchestrator":"human","config":{"assignee":"ada","form":{"required":"x"}}}]}"""),
            422,
            "invalid-definition");
    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .contains("/activities/0/config/assignee", "/activities/1/config/form/required");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aWaitingProcessCanBeCancelledAndItsTaskLeavesTheInbox() {
    long id = waitingTask("ada", FORM);
    String process = processOf(id);
    assertThat(json(ok(client.get("/api/v1/processes/" + process))).path("status").asText())
        .isEqualTo("WAITING");

    JsonNode cancelled = json(ok(client.post("/api/v1/processes/" + process + "/cancel", "")));

    assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.path("tasks").get(0).path("status").asText()).isEqualTo("CANCELLED");
    assertThat(ids(json(ok(client.get("/api/v1/tasks?status=WAITING"))))).isEmpty();
    assertProblem(
        client.postJson(completePath(id), "{\"output\":{\"approved\":true}}"),
        409,
        "task-not-waiting");
  }

  /** Starts a review process and parks its first task for {@code assignee}, as a pod would. */
  private long waitingTask(String assignee, JsonNode form) {
    startProcess();
    ClaimedTask claimed = engine.queue().claim("pod", LEASE, 1).stream().findFirst().orElseThrow();
    assertThat(engine.suspensions().park(claimed.task(), assignee, form))
        .isEqualTo(TaskOutcome.WAITING);
    return claimed.task().id();
  }

  private String startProcess() {
    HttpResponse<String> started =
        client.postJson(
            "/api/v1/processes", "{\"definitionId\": \"review\", \"input\": {\"doc\":\"draft\"}}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    return json(started).path("id").asText();
  }

  private String processOf(long taskId) {
    return testDb.text("SELECT proc_inst_id FROM todolist WHERE id = " + taskId);
  }

  private static String completePath(long id) {
    return "/api/v1/tasks/" + id + "/complete";
  }

  private static HttpResponse<String> ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("tasks").forEach(t -> ids.add(t.path("id").asLong()));
    return ids;
  }
}
