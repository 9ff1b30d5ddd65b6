package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pods as separate operating-system processes: drained queues, SIGKILL mid-task, SIGTERM. */
@ExtendWith(PodflowDatabaseExtension.class)
class PodProcessesTest {

  @Test
  void twoPodProcessesDrainFiveThousandQueuedTasksEachExactlyOnce(TestDatabase testDb)
      throws Exception {
    new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover())
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("drain", "noop"));
    testDb.insertDueNoopTasks("drain", 5000);
    try (PodProcesses pods = new PodProcesses(testDb)) {
      pods.start("proc-pod-1", Map.of());
      pods.start("proc-pod-2", Map.of());
      Eventually.await(
          Duration.ofMinutes(4),
          "5000 tasks done",
          () -> testDb.number("SELECT count(*) FROM todolist WHERE status = 'DONE'") == 5000);
    }
    assertThat(testDb.number("SELECT count(*) FROM todolist WHERE status <> 'DONE'"))
        .as("left behind")
        .isZero();
    assertThat(testDb.number("SELECT count(*) FROM todolist WHERE attempts <> 1"))
        .as("claimed twice")
        .isZero();
    assertThat(new EventLog(testDb).tasksWithMoreThanOne("task_completed"))
        .as("completed twice")
        .isZero();
    assertThat(new EventLog(testDb).count("task_completed")).isEqualTo(5000);
    assertThat(testDb.number("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'"))
        .isEqualTo(5000);
    List<String> workers =
        testDb
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT DISTINCT claimed_by FROM todolist ORDER BY 1")
                        .mapTo(String.class)
                        .list());
    assertThat(workers).containsExactly("proc-pod-1", "proc-pod-2");
  }

  @Test
  void podKilledWithSigkillMidTaskIsFinishedByAnotherPod(TestDatabase testDb) throws Exception {
    new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover())
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("slow", 4_000, 3));
    UUID instance = start(testDb, "slow");
    Map<String, String> shortLease =
        Map.of("PODFLOW_LEASE_SECONDS", "2", "PODFLOW_RESCUE_SECONDS", "1");
    try (PodProcesses pods = new PodProcesses(testDb)) {
      Process victim = pods.start("victim", shortLease);
      Eventually.await(
          Duration.ofSeconds(30),
          "the victim claims the task",
          () ->
              testDb.number(
                      "SELECT count(*) FROM todolist WHERE claimed_by = 'victim' AND status = 'IN_PROGRESS'")
                  == 1);
      victim.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
      pods.start("rescuer", shortLease);
      Eventually.await(
          Duration.ofSeconds(60),
          "the rescuer pod completes the process",
          () -> testDb.instanceStatus(instance).equals("COMPLETED"));
    }
    assertThat(testDb.number("SELECT attempts FROM todolist")).isEqualTo(2);
    assertThat(testDb.text("SELECT claimed_by FROM todolist")).isEqualTo("rescuer");
    assertThat(new EventLog(testDb).count("task_lease_expired")).isEqualTo(1);
    assertThat(new EventLog(testDb).count("task_completed")).isEqualTo(1);
  }

  @Test
  void sigtermHandsTheRunningTaskBackAndExitsZero(TestDatabase testDb) throws Exception {
    new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover())
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("long", 120_000, 3));
    UUID instance = start(testDb, "long");
    try (PodProcesses pods = new PodProcesses(testDb)) {
      Process pod = pods.start("leaving", Map.of("PODFLOW_SHUTDOWN_GRACE_SECONDS", "1"));
      Eventually.await(
          Duration.ofSeconds(30),
          "the pod claims the task",
          () -> testDb.number("SELECT count(*) FROM todolist WHERE status = 'IN_PROGRESS'") == 1);
      pod.destroy(); // SIGTERM
      assertThat(pod.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(pod.exitValue()).as(pods.log("leaving")).isZero();
    }
    assertThat(testDb.instanceStatus(instance)).isEqualTo("RUNNING");
    assertThat(testDb.text("SELECT status FROM todolist")).isEqualTo("PENDING");
    assertThat(testDb.number("SELECT attempts FROM todolist"))
        .as("the attempt is not burned")
        .isZero();
    assertThat(new EventLog(testDb).count("task_released")).isEqualTo(1);
  }

  @Test
  void podWithAMalformedDatabaseUrlExitsWithTheFix(TestDatabase testDb) throws Exception {
    try (PodProcesses pods = new PodProcesses(testDb)) {
      Process pod = pods.start("no-db", Map.of("DATABASE_URL", "mysql://localhost/nothing"));
      assertThat(pod.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pod.exitValue()).isEqualTo(2);
      assertThat(pods.log("no-db")).contains("podflow: DATABASE_URL must look like postgres://");
    }
  }

  @Test
  void podsStartOnlyTheOrchestratorsTheyAreForAndRefuseBadSettingsWithTheFix(TestDatabase testDb)
      throws Exception {
    try (PodProcesses pods = new PodProcesses(testDb)) {
      Process unknown = pods.start("gpu", Map.of("PODFLOW_POD_ORCHESTRATORS", "noop, gpu-render"));
      Process badLlm = pods.start("bad-llm", Map.of("PODFLOW_LLM_PROVIDER", "anthropic"));
      // llm-action is not started here, so its settings do not matter
      Process plain =
          pods.start(
              "plain",
              Map.of("PODFLOW_POD_ORCHESTRATORS", "noop", "PODFLOW_LLM_PROVIDER", "anthropic"));

      assertThat(unknown.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(unknown.exitValue()).isEqualTo(2);
      assertThat(pods.log("gpu"))
          .contains(
              "podflow: PODFLOW_POD_ORCHESTRATORS names unknown orchestrator 'gpu-render'; this"
                  + " pod has: a2a, deep-research, fail, human, llm-action, mcp, noop, sleep, subprocess");
      assertThat(badLlm.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(badLlm.exitValue()).isEqualTo(2);
      assertThat(pods.log("bad-llm")).contains("podflow: PODFLOW_LLM_PROVIDER must be 'openai'");
      Eventually.await(
          Duration.ofSeconds(30),
          "the noop pod started",
          () -> pods.log("plain").contains("orchestrators [noop]"));
      assertThat(plain.isAlive()).isTrue();
    }
  }

  private static UUID start(TestDatabase testDb, String definitionId) {
    var catalog = new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover());
    return new Engine(testDb.database().jdbi(), catalog, Notifier.inline(testDb.database().jdbi()))
        .starter()
        .start(
            new StartCommand(
                definitionId, Json.object(), null, null, StartCommand.DEFAULT_TENANT, null))
        .instance()
        .id();
  }
}
