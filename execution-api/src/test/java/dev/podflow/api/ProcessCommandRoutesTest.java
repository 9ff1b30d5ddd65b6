package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.tx.EventTypes;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.notify.Channel;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** {@code POST /api/v1/processes/{id}/cancel} and {@code …/retry}. */
@ExtendWith(PodflowDatabaseExtension.class)
class ProcessCommandRoutesTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String UNKNOWN_ID = "3f2b6c1e-0000-4000-8000-000000000000";

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
    assertThat(
            client
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void cancellingARunningInstanceCancelsItsTasksAndFencesTheRunningPod() throws SQLException {
    String id = startProcess();
    ClaimedTask running =
        engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
    long taskId = running.task().id();

    try (Listener cancelNotices = new Listener(db, Channel.CANCEL)) {
      HttpResponse<String> cancelled = client.post(cancelPath(id), "");

      assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
      JsonNode process = json(cancelled);
      assertThat(process.path("id").asText()).isEqualTo(id);
      assertThat(process.path("status").asText()).isEqualTo("CANCELLED");
      assertThat(process.path("finishedAt").isNull()).isFalse();
      assertThat(process.path("tasks")).hasSize(1);
      assertThat(process.path("tasks").get(0).path("status").asText()).isEqualTo("CANCELLED");
      assertThat(process.path("tasks").get(0).path("finishedAt").isNull()).isFalse();
      assertThat(json(client.get("/api/v1/processes/" + id)))
          .as("the answer is what GET shows")
          .isEqualTo(process);
      assertThat(cancelNotices.next(Duration.ofSeconds(5)))
          .as("the running pod is told which task to stop")
          .isEqualTo(Long.toString(taskId));
    }
    assertThat(
            testDb.number(
                "SELECT count(*) FROM todolist WHERE id = "
                    + taskId
                    + " AND status = 'CANCELLED' AND claim_token IS NULL"
                    + " AND lease_expires_at IS NULL AND finished_at IS NOT NULL"))
        .isEqualTo(1);
    JsonNode events = json(client.get("/api/v1/processes/" + id + "/events")).path("events");
    assertThat(events.findValuesAsText("type"))
        .containsExactly(
            EventTypes.PROCESS_STARTED,
            EventTypes.TASK_QUEUED,
            EventTypes.TASK_CLAIMED,
            EventTypes.TASK_CANCELLED,
            EventTypes.PROCESS_CANCELLED);
    JsonNode taskCancelled = events.get(3);
    assertThat(taskCancelled.path("taskId").asLong()).isEqualTo(taskId);
    assertThat(taskCancelled.path("payload").path("previousStatus").asText())
        .isEqualTo("IN_PROGRESS");
    assertThat(taskCancelled.path("payload").path("podId").asText()).isEqualTo("pod-a");

    // The pod finishes anyway: its completion, failure and hand-back are all refused.
    RowCounts before = RowCounts.of(db);
    assertThatThrownBy(() -> engine.completions().complete(running.task(), Json.object()))
        .isInstanceOf(StaleClaimException.class);
    assertThatThrownBy(() -> engine.queue().release(running.task(), "stopping"))
        .isInstanceOf(StaleClaimException.class);
    assertThat(engine.queue().renewLeases(List.of(running.task()), LEASE).isEmpty()).isFalse();
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM todolist WHERE id = " + taskId))
        .isEqualTo("CANCELLED");
    assertThat(testDb.text("SELECT status FROM bpm_proc_inst WHERE id = '" + id + "'"))
        .isEqualTo("CANCELLED");
  }

  @Test
  void cancellingAnInstanceWhoseTaskWaitsInTheQueueTakesTheTaskOutOfIt() throws SQLException {
    String id = startProcess();

    try (Listener cancelNotices = new Listener(db, Channel.CANCEL)) {
      HttpResponse<String> cancelled =
          client.postJson(cancelPath(id), "{}"); // an empty JSON object is fine too

      assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
      assertThat(json(cancelled).path("tasks").get(0).path("status").asText())
          .isEqualTo("CANCELLED");
      assertThat(cancelNotices.next(Duration.ofMillis(300)))
          .as("no pod runs a queued task, so no pod is told")
          .isNull();
    }
    assertThat(engine.queue().claim("pod-a", LEASE, 1).stream().findFirst())
        .as("nothing left to claim")
        .isEmpty();
    JsonNode events = json(client.get("/api/v1/processes/" + id + "/events")).path("events");
    assertThat(events.get(2).path("payload").path("previousStatus").asText()).isEqualTo("PENDING");
    assertThat(events.get(3).path("type").asText()).isEqualTo(EventTypes.PROCESS_CANCELLED);
    assertThat(events.get(3).path("payload").path("tasksCancelled").asInt()).isEqualTo(1);
  }

  @Test
  void aStepThatCompletesAfterTheCancelQueuesNothing() {
    String id = startProcess();
    ClaimedTask running =
        engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
    engine.completions().complete(running.task(), Json.object()); // a1 done, a2 queued

    assertThat(client.post(cancelPath(id), "").statusCode()).isEqualTo(200);

    assertThat(testDb.number("SELECT count(*) FROM todolist WHERE status = 'DONE'")).isEqualTo(1);
    assertThat(testDb.number("SELECT count(*) FROM todolist WHERE status = 'CANCELLED'"))
        .as("the queued successor is cancelled, the finished step stays done")
        .isEqualTo(1);
    assertThat(engine.queue().claim("pod-a", LEASE, 1).stream().findFirst()).isEmpty();
  }

  @Test
  void cancellingTwiceIs409AndTheSecondWritesNothing() {
    String id = startProcess();
    assertThat(client.post(cancelPath(id), "").statusCode()).isEqualTo(200);
    RowCounts before = RowCounts.of(db);
    String updatedAt = updatedAt(id);

    JsonNode problem =
        assertProblem(client.post(cancelPath(id), ""), 409, "process-not-cancellable");

    assertThat(problem.path("detail").asText()).contains(id).contains("CANCELLED");
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(updatedAt(id)).isEqualTo(updatedAt);
  }

  @Test
  void cancellingACompletedOrFailedInstanceIs409AndWritesNothing() {
    String completed = startProcess();
    runToTheEnd();
    String failed = startProcess();
    failForGood(engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow());
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(client.post(cancelPath(completed), ""), 409, "process-not-cancellable");
    assertThat(problem.path("detail").asText()).contains("COMPLETED");
    assertThat(
            assertProblem(client.post(cancelPath(failed), ""), 409, "process-not-cancellable")
                .path("detail")
                .asText())
        .contains("ERROR");

    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM bpm_proc_inst WHERE id = '" + completed + "'"))
        .isEqualTo("COMPLETED");
    assertThat(testDb.text("SELECT status FROM todolist WHERE proc_inst_id = '" + failed + "'"))
        .isEqualTo("DEAD");
  }

  @Test
  void unknownProcessesAre404AndMalformedIdsAre400() {
    RowCounts before = RowCounts.of(db);

    for (String command : List.of("cancel", "retry")) {
      JsonNode missing =
          assertProblem(
              client.post("/api/v1/processes/" + UNKNOWN_ID + "/" + command, ""),
              404,
              "process-not-found");
      assertThat(missing.path("detail").asText()).contains(UNKNOWN_ID);
      assertThat(
              assertProblem(
                      client.post("/api/v1/processes/not-a-uuid/" + command, ""),
                      400,
                      "invalid-request")
                  .path("detail")
                  .asText())
          .contains("not-a-uuid");
    }

    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aBodyMustBeEmptyOrAnEmptyJsonObject() {
    String id = startProcess();
    RowCounts before = RowCounts.of(db);

    for (String command : List.of("cancel", "retry")) {
      String path = "/api/v1/processes/" + id + "/" + command;
      assertThat(
              assertProblem(client.postJson(path, "{\"reason\": \"x\"}"), 400, "invalid-request")
                  .path("detail")
                  .asText())
          .contains("reason");
      assertProblem(client.postJson(path, "{\"reason\":"), 400, "malformed-json");
      assertProblem(client.postJson(path, "[]"), 400, "invalid-request");
      assertProblem(
          client.post(path, "{}", "Content-Type", "text/plain"), 415, "unsupported-media-type");
    }

    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM bpm_proc_inst WHERE id = '" + id + "'"))
        .isEqualTo("RUNNING");
    assertThat(client.post(cancelPath(id), "  \n", "Content-Type", "text/plain").statusCode())
        .as("a blank body counts as none, whatever its type")
        .isEqualTo(200);
  }

  @Test
  void retryingAFailedInstanceQueuesItsDeadTaskAgainAndItCanComplete() throws SQLException {
    String id = startProcess();
    ClaimedTask first = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
    long taskId = first.task().id();
    assertThat(failForGood(first)).isEqualTo(TaskOutcome.DEAD);
    assertThat(json(client.get("/api/v1/processes/" + id)).path("status").asText())
        .isEqualTo("ERROR");

    HttpResponse<String> retried;
    try (Listener wakeUps = new Listener(db, Channel.TASKS)) {
      retried = client.post(retryPath(id), "");
      assertThat(wakeUps.next(Duration.ofSeconds(5))).as("the pods are woken").isNotNull();
    }

    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    JsonNode process = json(retried);
    assertThat(process.path("status").asText()).isEqualTo("RUNNING");
    assertThat(process.path("finishedAt").isNull()).isTrue();
    assertThat(process.path("output").isNull()).as("the failure output is cleared").isTrue();
    JsonNode task = process.path("tasks").get(0);
    assertThat(task.path("id").asLong()).isEqualTo(taskId);
    assertThat(task.path("status").asText()).isEqualTo("PENDING");
    assertThat(task.path("attempts").asInt()).isZero();
    assertThat(task.path("finishedAt").isNull()).isTrue();
    assertThat(json(client.get("/api/v1/processes/" + id))).isEqualTo(process);
    assertThat(
            testDb.number(
                "SELECT count(*) FROM todolist WHERE id = "
                    + taskId
                    + " AND last_error = 'broken for good' AND claim_token IS NULL"
                    + " AND lease_expires_at IS NULL AND run_after <= now()"))
        .as("last error kept, claim cleared, due now")
        .isEqualTo(1);
    JsonNode events = json(client.get("/api/v1/processes/" + id + "/events")).path("events");
    List<String> types = events.findValuesAsText("type");
    assertThat(types.subList(types.size() - 2, types.size()))
        .containsExactly(EventTypes.PROCESS_RETRIED, EventTypes.TASK_QUEUED);
    JsonNode queued = events.get(events.size() - 1);
    assertThat(queued.path("taskId").asLong()).isEqualTo(taskId);
    assertThat(queued.path("payload").path("retriedAfter").asText()).isEqualTo("broken for good");

    runToTheEnd();
    JsonNode done = json(client.get("/api/v1/processes/" + id));
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("tasks")).hasSize(2);
    assertThat(done.path("tasks").get(0).path("attempts").asInt()).isEqualTo(1);
    assertThat(
            json(client.get("/api/v1/processes/" + id + "/events"))
                .path("events")
                .findValuesAsText("type"))
        .containsOnlyOnce(EventTypes.PROCESS_COMPLETED, EventTypes.PROCESS_FAILED);
  }

  @Test
  void retryingAnInstanceThatIsNotInErrorIs409AndWritesNothing() {
    String completed = startProcess();
    runToTheEnd();
    String running = startProcess();
    String cancelled = startProcess();
    assertThat(client.post(cancelPath(cancelled), "").statusCode()).isEqualTo(200);
    RowCounts before = RowCounts.of(db);

    for (Map.Entry<String, String> refused :
        Map.of(running, "RUNNING", completed, "COMPLETED", cancelled, "CANCELLED").entrySet()) {
      JsonNode problem =
          assertProblem(client.post(retryPath(refused.getKey()), ""), 409, "process-not-retryable");
      assertThat(problem.path("detail").asText())
          .contains(refused.getKey())
          .contains(refused.getValue());
    }

    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertThat(testDb.text("SELECT status FROM bpm_proc_inst WHERE id = '" + running + "'"))
        .isEqualTo("RUNNING");
    assertThat(testDb.text("SELECT status FROM todolist WHERE proc_inst_id = '" + running + "'"))
        .isEqualTo("PENDING");
  }

  private String startProcess() {
    HttpResponse<String> started =
        client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\", \"input\": {}}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    return json(started).path("id").asText();
  }

  /** Claims and completes tasks until none is left to claim. */
  private void runToTheEnd() {
    for (var next = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst();
        next.isPresent();
        next = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst()) {
      engine.completions().complete(next.get().task(), Json.object().put("by", "pod-a"));
    }
  }

  /**
   * Fails the attempt with an error retrying cannot fix: DEAD, instance ERROR. Not retryable, so no
   * backoff is consulted.
   */
  private TaskOutcome failForGood(ClaimedTask claimed) {
    return engine.failures().fail(claimed.task(), "broken for good", false, null);
  }

  private String updatedAt(String id) {
    return testDb.text("SELECT updated_at::text FROM bpm_proc_inst WHERE id = '" + id + "'");
  }

  private static String cancelPath(String id) {
    return "/api/v1/processes/" + id + "/cancel";
  }

  private static String retryPath(String id) {
    return "/api/v1/processes/" + id + "/retry";
  }

  /** A LISTEN session on its own connection, as a pod holds one. */
  private static final class Listener implements AutoCloseable {
    private final Connection connection;
    private final List<String> received = new ArrayList<>();

    Listener(Database db, Channel channel) throws SQLException {
      connection = db.openDedicatedConnection("test-listener");
      try (Statement st = connection.createStatement()) {
        st.execute("LISTEN " + channel.sqlName());
      }
    }

    /** The next notification's payload, or null when none comes within {@code timeout}. */
    String next(Duration timeout) throws SQLException {
      if (received.isEmpty()) {
        PGNotification[] notifications =
            connection.unwrap(PGConnection.class).getNotifications((int) timeout.toMillis());
        if (notifications != null) {
          for (PGNotification n : notifications) received.add(n.getParameter());
        }
      }
      return received.isEmpty() ? null : received.removeFirst();
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
