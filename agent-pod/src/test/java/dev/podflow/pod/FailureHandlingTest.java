package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failed attempts are retried with backoff; failures no retry can fix end DEAD at once. */
@ExtendWith(PodflowDatabaseExtension.class)
class FailureHandlingTest {

  /** Fails the first {@code failures} runs with an ordinary exception, then succeeds. */
  static final class Flaky implements Orchestrator {
    final AtomicInteger runs = new AtomicInteger();
    final int failures;

    Flaky(int failures) {
      this.failures = failures;
    }

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public JsonNode run(TaskContext context) {
      if (runs.incrementAndGet() <= failures)
        throw new IllegalStateException("upstream hiccup " + runs.get());
      return Json.object().put("ok", true);
    }
  }

  private static void awaitError(PodHarness h, UUID instance) {
    Eventually.await(
        Duration.ofSeconds(10),
        "instance in ERROR",
        () -> h.instanceStatus(instance).equals("ERROR"));
  }

  @Test
  void unknownOrchestratorFailsTheTaskAtOnceWithAClearEvent(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      // stored before its plug-in was removed (publishing it now is refused)
      h.storeUnchecked(Definitions.linear("typo", "nooop"));
      UUID instance = h.start("typo");
      h.startPod(PodConfig.defaults("p1"));
      awaitError(h, instance);
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(task.attempts()).as("not retried").isEqualTo(1);
      assertThat(task.lastError()).contains("unknown orchestrator 'nooop'").contains("noop, sleep");
      assertThat(h.events.payload("task_dead").toString()).contains("unknown orchestrator 'nooop'");
    }
  }

  @Test
  void failedAttemptIsRetriedWithBackoffThenSucceeds(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new Flaky(2))) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Definitions.withFastRetries(Definitions.linear("flaky-proc", "flaky")));
      UUID instance = h.start("flaky-proc");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(50)));
      Eventually.await(
          Duration.ofSeconds(10),
          "instance completed",
          () -> h.instanceStatus(instance).equals("COMPLETED"));
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.attempts()).isEqualTo(3);
      assertThat(task.lastError()).contains("upstream hiccup 2");
      assertThat(h.events.count("task_failed")).isEqualTo(2);
      assertThat(h.events.count("task_completed")).isEqualTo(1);
    }
  }

  @Test
  void taskOutOfAttemptsGoesDeadAndTheInstanceToError(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new Flaky(100))) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Definitions.withFastRetries(Definitions.linear("poison", "flaky")));
      // The tenant's operators and admins are told, not its plain users.
      testDb
          .database()
          .jdbi()
          .useHandle(
              db ->
                  db.execute(
                      "INSERT INTO users (tenant_id, id, roles) VALUES ('default', 'olga',"
                          + " '{operator}'), ('default', 'adam', '{admin,user}'),"
                          + " ('default', 'ursula', '{user}')"));
      UUID instance = h.start("poison");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(50)));
      awaitError(h, instance);
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(task.attempts()).isEqualTo(3);
      assertThat(h.events.count("task_failed")).isEqualTo(2);
      assertThat(h.events.count("task_dead")).isEqualTo(1);
      assertThat(h.events.count("process_failed")).isEqualTo(1);
      assertThat(
              h.count(
                  "SELECT count(*) FROM notifications WHERE type = 'process_error'"
                      + " AND recipient IN ('olga', 'adam') AND status = 'PENDING'"
                      + " AND body LIKE '%upstream hiccup 3%' AND payload->>'processId' = '"
                      + instance
                      + "'"))
          .as("one notification for each operator and admin")
          .isEqualTo(2);
      assertThat(h.count("SELECT count(*) FROM notifications WHERE recipient = 'ursula'")).isZero();
    }
  }

  @Test
  void failStepEndsDeadAtOnceWithItsMessage(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      ObjectNode definition = Definitions.linear("rejects", "noop", "fail", "noop");
      ((ObjectNode) definition.withArray("activities").get(1).get("config"))
          .put("message", "order 4711 is rejected");
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);
      UUID instance = h.start("rejects");
      h.startPod(PodConfig.defaults("p1"));
      awaitError(h, instance);
      assertThat(h.tasksOf(instance)).extracting(Task::activityId).containsExactly("a1", "a2");
      Task failed = h.tasksOf(instance).getLast();
      assertThat(failed.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(failed.attempts()).as("retryable defaults to false").isEqualTo(1);
      assertThat(failed.lastError()).isEqualTo("order 4711 is rejected");
      assertThat(h.events.payload("task_dead").get("error").asText())
          .isEqualTo("order 4711 is rejected");
    }
  }

  @Test
  void retryableFailStepIsRetriedWithBackoffUntilItsAttemptsRunOut(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      ObjectNode definition = Definitions.withFastRetries(Definitions.linear("flaps", "fail"));
      ((ObjectNode) definition.withArray("activities").get(0).get("config"))
          .put("message", "the bank is closed")
          .put("retryable", true);
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);
      UUID instance = h.start("flaps");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(50)));
      awaitError(h, instance);
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(task.attempts()).isEqualTo(Activity.DEFAULT_MAX_ATTEMPTS);
      assertThat(task.lastError()).isEqualTo("the bank is closed");
      assertThat(h.events.count("task_failed")).isEqualTo(Activity.DEFAULT_MAX_ATTEMPTS - 1);
    }
  }

  @Test
  void badSleepConfigIsNotRetried(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      var definition = Definitions.linear("bad-sleep", "sleep");
      ((com.fasterxml.jackson.databind.node.ObjectNode)
              definition.withArray("activities").get(0).get("config"))
          .put("ms", "soon");
      h.storeUnchecked(definition); // stored before sleep checked its config
      UUID instance = h.start("bad-sleep");
      h.startPod(PodConfig.defaults("p1"));
      awaitError(h, instance);
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.attempts()).isEqualTo(1);
      assertThat(task.lastError()).contains("sleep needs config");
    }
  }

  @Test
  void attemptOverItsTimeoutIsInterruptedAndCountsAsFailed(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      ObjectNode definition = Definitions.withFastRetries(Definitions.sleeping("stuck", 60_000, 2));
      ((ObjectNode) definition.withArray("activities").get(0)).put("timeoutSeconds", 1);
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);
      UUID instance = h.start("stuck");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(50)));
      Eventually.await(
          Duration.ofSeconds(15),
          "both attempts timed out",
          () -> h.instanceStatus(instance).equals("ERROR"));
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(task.attempts()).isEqualTo(2);
      assertThat(task.lastError()).contains("timed out after 1 s");
      assertThat(h.events.count("task_failed")).isEqualTo(1);
      assertThat(h.events.count("task_dead")).isEqualTo(1);
    }
  }
}
