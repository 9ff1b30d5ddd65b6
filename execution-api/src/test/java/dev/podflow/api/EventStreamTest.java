package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static dev.podflow.engine.tx.EventTypes.PROCESS_COMPLETED;
import static dev.podflow.engine.tx.EventTypes.PROCESS_STARTED;
import static dev.podflow.engine.tx.EventTypes.TASK_CLAIMED;
import static dev.podflow.engine.tx.EventTypes.TASK_COMPLETED;
import static dev.podflow.engine.tx.EventTypes.TASK_QUEUED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.notify.NoticeListener;
import dev.podflow.store.task.Task;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class EventStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Database db;
  private ExecutionApi api;
  private ApiClient client;
  private Engine engine;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
    engine =
        new Engine(
            db.jdbi(),
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.jdbi()));
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private String startProcess() {
    return json(client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}"))
        .path("id")
        .asText();
  }

  /** Plays the pod: claims the next task and completes it. */
  private void runNextTask() {
    Task task =
        engine.queue().claim("test-pod", Duration.ofSeconds(30), 1).stream()
            .findFirst()
            .orElseThrow()
            .task();
    engine.completions().complete(task, Json.object().put("done", task.activityId()));
  }

  private List<JsonNode> eventList(String id, String query) {
    List<JsonNode> events = new ArrayList<>();
    json(client.get("/api/v1/processes/" + id + "/events" + query))
        .path("events")
        .forEach(events::add);
    return events;
  }

  @Test
  void theEventListIsOldestFirstAndPagesWithAfter() {
    String id = startProcess();
    runNextTask();

    List<JsonNode> all = eventList(id, "");
    assertThat(all)
        .extracting(e -> e.path("type").asText())
        .containsExactly(PROCESS_STARTED, TASK_QUEUED, TASK_CLAIMED, TASK_COMPLETED, TASK_QUEUED);
    JsonNode queued = all.get(1);
    assertThat(queued.path("id").asLong()).isGreaterThan(all.get(0).path("id").asLong());
    assertThat(queued.path("taskId").isIntegralNumber()).isTrue();
    assertThat(queued.path("payload").path("activityId").asText()).isEqualTo("a1");
    assertThat(queued.path("createdAt").asText()).isNotBlank();
    assertThat(all.get(0).path("taskId").isNull()).isTrue();

    long second = all.get(1).path("id").asLong();
    assertThat(eventList(id, "?after=" + second))
        .extracting(e -> e.path("id").asLong())
        .containsExactlyElementsOf(
            all.subList(2, 5).stream().map(e -> e.path("id").asLong()).toList());
    assertThat(eventList(id, "?limit=2")).hasSize(2);

    assertProblem(
        client.get("/api/v1/processes/" + id + "/events?after=-1"), 400, "invalid-request");
    assertProblem(
        client.get("/api/v1/processes/" + id + "/events?limit=0"), 400, "invalid-request");
    assertProblem(
        client.get("/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000/events"),
        404,
        "process-not-found");
  }

  @Test
  void theStreamReplaysThenFollowsTheInstanceAndEndsWhenItFinishes() throws Exception {
    String id = startProcess();
    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());

    try (SseRecording stream = SseRecording.open(client, "/api/v1/processes/" + id + "/events")) {
      assertThat(stream.response().statusCode()).isEqualTo(200);
      assertThat(stream.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
      Eventually.await(WAIT, "the replay of existing events", () -> stream.messages().size() == 2);
      Eventually.await(
          WAIT, "the stream to subscribe", () -> api.eventFeed().subscriberCount() == 1);

      runNextTask();
      Eventually.await(WAIT, "the first task's events", () -> stream.messages().size() == 5);
      assertThat(stream.hasEnded()).isFalse();
      runNextTask();

      stream.assertEndsWithin(WAIT);
      assertThat(stream.eventTypes())
          .containsExactly(
              PROCESS_STARTED,
              TASK_QUEUED,
              TASK_CLAIMED,
              TASK_COMPLETED,
              TASK_QUEUED,
              TASK_CLAIMED,
              TASK_COMPLETED,
              PROCESS_COMPLETED);
      List<SseRecording.Message> messages = stream.messages();
      long previous = 0;
      for (SseRecording.Message message : messages) {
        JsonNode data = Json.parse(message.data());
        assertThat(message.id()).isEqualTo(Long.toString(data.path("id").asLong()));
        assertThat(message.event()).isEqualTo(data.path("type").asText());
        assertThat(data.path("id").asLong()).isGreaterThan(previous);
        previous = data.path("id").asLong();
      }
      assertThat(stream.lines()).anyMatch(line -> line.startsWith("id:"));
      assertThat(
              Json.parse(messages.getLast().data())
                  .path("payload")
                  .path("output")
                  .path("done")
                  .asText())
          .isEqualTo("a2");
    }
    Eventually.await(
        WAIT, "the stream to unsubscribe", () -> api.eventFeed().subscriberCount() == 0);
  }

  @Test
  void lastEventIdResumesAfterThatEvent() throws Exception {
    String id = startProcess();
    List<JsonNode> before = eventList(id, "");
    String firstId = before.get(0).path("id").asText();

    try (SseRecording stream =
        SseRecording.open(
            client, "/api/v1/processes/" + id + "/events", "Last-Event-ID", firstId)) {
      runNextTask();
      runNextTask();
      stream.assertEndsWithin(WAIT);

      assertThat(stream.eventTypes())
          .containsExactly(
              TASK_QUEUED,
              TASK_CLAIMED,
              TASK_COMPLETED,
              TASK_QUEUED,
              TASK_CLAIMED,
              TASK_COMPLETED,
              PROCESS_COMPLETED);
      assertThat(stream.messages()).noneMatch(m -> m.id().equals(firstId));
    }
  }

  @Test
  void aNewcomerToAFinishedInstanceGetsEverythingAndTheStreamEnds() throws Exception {
    String id = startProcess();
    runNextTask();
    runNextTask();

    try (SseRecording stream = SseRecording.open(client, "/api/v1/processes/" + id + "/events")) {
      stream.assertEndsWithin(WAIT);
      assertThat(stream.eventTypes()).hasSize(8).endsWith(PROCESS_COMPLETED);
    }
  }

  @Test
  void streamingAnUnknownInstanceIs404ProblemNotAStream() {
    var response =
        client.get(
            "/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000/events",
            "Accept",
            "text/event-stream");

    assertProblem(response, 404, "process-not-found");
    assertProblem(
        client.get(
            "/api/v1/processes/" + startProcess() + "/events",
            "Accept",
            "text/event-stream",
            "Last-Event-ID",
            "x"),
        400,
        "invalid-request");
  }

  @Test
  void theFeedReconnectsWhenItsConnectionIsKilledAndStreamsKeepFlowing() throws Exception {
    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());
    NoticeListener.TestSignals feed = api.eventFeed().listenerTestSignals();
    feed.lost.init();
    feed.listening.init();
    int killed = terminateFeedSessions();
    assertThat(killed).isEqualTo(1);
    feed.lost.waitOrTimeout(WAIT);
    feed.listening.waitOrTimeout(WAIT);
    assertThat(api.eventFeed().isListening()).isTrue();
    Eventually.await(WAIT, "the killed session gone", () -> listenerSessions() == 1);

    String id = startProcess();
    try (SseRecording stream = SseRecording.open(client, "/api/v1/processes/" + id + "/events")) {
      Eventually.await(
          WAIT, "the stream to subscribe", () -> api.eventFeed().subscriberCount() == 1);
      runNextTask();
      runNextTask();
      stream.assertEndsWithin(WAIT);
      assertThat(stream.eventTypes()).hasSize(8);
    }
  }

  @Test
  void closingTheApiEndsOpenStreams() throws Exception {
    String id = startProcess();
    try (SseRecording stream = SseRecording.open(client, "/api/v1/processes/" + id + "/events")) {
      Eventually.await(WAIT, "the replay", () -> stream.messages().size() == 2);

      api.close();

      stream.assertEndsWithin(WAIT);
    }
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
  }

  private int terminateFeedSessions() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE application_name = :app AND datname = current_database()")
                    .bind("app", EventFeed.APPLICATION_NAME)
                    .mapTo(Integer.class)
                    .one());
  }

  private int listenerSessions() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app AND datname = current_database()")
                    .bind("app", EventFeed.APPLICATION_NAME)
                    .mapTo(Integer.class)
                    .one());
  }
}
