package dev.podflow.api;

import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Starts, cancels, retries and answers name who asked ({@code by}: the key's id, never the key),
 * and no key reaches an event, a response or a log line.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class AuditTest {
  private TestDatabase testDb;
  private ExecutionApi api;
  private Engine engine;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start(TestDatabase testDb) {
    this.testDb = testDb;
    logs.start();
    root().addAppender(logs);
    api =
        ExecutionApi.start(
            testDb.database(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0));
    engine =
        new Engine(
            testDb.database().jdbi(),
            new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(testDb.database().jdbi()));
  }

  @AfterEach
  void stop() {
    api.close();
    root().detachAppender(logs);
  }

  @Test
  void eachCommandNamesItsPrincipalAndNoKeyLeaks() {
    String adminKey = ApiClient.issueKey(testDb.database(), "default", Role.ADMIN, null);
    String annKey = ApiClient.issueKey(testDb.database(), "default", Role.USER, "ann");
    ApiClient admin = new ApiClient(api.port(), adminKey);
    ApiClient ann = admin.withKey(annKey);
    String[] responses = new String[5];
    responses[0] =
        ok(
            admin.postJson(
                "/api/v1/definitions",
                """
                {"id":"review","activities":[
                  {"id":"check","orchestrator":"human","config":{"assignee":"ann"}}]}"""),
            201);
    HttpResponse<String> started =
        admin.postJson("/api/v1/processes", "{\"definitionId\": \"review\"}");
    responses[1] = ok(started, 201);
    UUID answered = UUID.fromString(json(started).path("id").asText());
    ClaimedTask claimed =
        engine.queue().claim("pod", Duration.ofSeconds(30), 1).stream().findFirst().orElseThrow();
    assertThat(engine.suspensions().park(claimed.task(), "ann", null))
        .isEqualTo(TaskOutcome.WAITING);
    responses[2] =
        ok(
            ann.postJson(
                "/api/v1/tasks/" + claimed.task().id() + "/complete", "{\"output\":{\"ok\":1}}"),
            200);
    HttpResponse<String> second =
        admin.postJson("/api/v1/processes", "{\"definitionId\": \"review\"}");
    responses[3] = ok(second, 201);
    UUID cancelled = UUID.fromString(json(second).path("id").asText());
    responses[4] = ok(admin.post("/api/v1/processes/" + cancelled + "/cancel", ""), 200);

    EventLog events = new EventLog(testDb);
    String adminId = "key:" + adminKey.substring(0, 16);
    assertThat(events.payload(answered, "process_started").path("by").asText()).isEqualTo(adminId);
    assertThat(events.payload(claimed.task().id(), "task_completed").path("by").asText())
        .isEqualTo("key:" + annKey.substring(0, 16));
    assertThat(events.payload(cancelled, "process_cancelled").path("by").asText())
        .isEqualTo(adminId);

    assertThat(logs.list)
        .as("the run's log is captured")
        .anyMatch(line -> line.getFormattedMessage().contains("started process " + answered));
    for (String key : new String[] {adminKey, annKey}) {
      String secret = key.substring(17);
      assertThat(events.of(answered) + " " + events.of(cancelled)).doesNotContain(secret);
      assertThat(String.join("\n", responses)).doesNotContain(secret);
      assertThat(logs.list)
          .as("log lines")
          .noneMatch(line -> line.getFormattedMessage().contains(secret));
    }
  }

  private static String ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
