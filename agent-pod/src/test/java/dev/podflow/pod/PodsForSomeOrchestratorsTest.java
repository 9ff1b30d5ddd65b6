package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods started for some orchestrators only ({@code PODFLOW_POD_ORCHESTRATORS}) claim only tasks of
 * those, as Process GPT runs a poller per orchestrator: a GPU or browser orchestrator can have pods
 * of its own.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PodsForSomeOrchestratorsTest {
  private static final int PROCESSES = 400;

  @Test
  void twoPodsWithDisjointOrchestratorsDrainAMixedQueueEachRunningOnlyItsOwn(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      // Every process needs both pods: noop, sleep, noop, sleep.
      ObjectNode mixed = Definitions.linear("mixed", "noop", "sleep", "noop", "sleep");
      for (int sleep : new int[] {1, 3}) {
        ((ObjectNode) mixed.withArray("activities").get(sleep).get("config")).put("ms", 1);
      }
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", mixed);
      ObjectNode nobodys = Definitions.linear("nobodys", "fail");
      ((ObjectNode) nobodys.withArray("activities").get(0).get("config")).put("message", "never");
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", nobodys);
      UUID unclaimed = h.start("nobodys");

      h.startPod(
          PodConfig.defaults("plain")
              .withSlots(2)
              .withPollInterval(Duration.ofMillis(200))
              .withOrchestrators(Set.of("noop")));
      h.startPod(
          PodConfig.defaults("sleepy")
              .withSlots(2)
              .withPollInterval(Duration.ofMillis(200))
              .withOrchestrators(Set.of("sleep", "human")));
      IntStream.range(0, PROCESSES).parallel().forEach(i -> h.start("mixed"));
      Eventually.await(
          Duration.ofMinutes(2),
          PROCESSES + " mixed processes completed",
          () ->
              h.count(
                      "SELECT count(*) FROM bpm_proc_inst"
                          + " WHERE proc_def_id = 'mixed' AND status = 'COMPLETED'")
                  == PROCESSES);

      assertThat(h.count("SELECT count(*) FROM todolist WHERE orchestrator = 'noop'"))
          .isEqualTo(2L * PROCESSES);
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist WHERE orchestrator IN ('noop', 'sleep')"
                      + " AND (status <> 'DONE' OR attempts <> 1)"))
          .as("every task done at its first attempt")
          .isZero();
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist WHERE orchestrator = 'noop'"
                      + " AND claimed_by <> 'plain'"))
          .as("noop tasks run by another pod than the noop pod")
          .isZero();
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist WHERE orchestrator = 'sleep'"
                      + " AND claimed_by <> 'sleepy'"))
          .as("sleep tasks run by another pod than the sleep pod")
          .isZero();
      assertThat(h.events.claimsByAnotherPodThanTheHolder())
          .as("claims by a pod that did not run the task")
          .isZero();
      assertThat(h.tasksOf(unclaimed).getFirst().attempts())
          .as("a task of an orchestrator no pod runs is never claimed")
          .isZero();
      assertThat(h.instanceStatus(unclaimed)).isEqualTo("RUNNING");
    }
  }

  @Test
  void aPodForAnOrchestratorItDoesNotHaveRefusesToStartNamingThoseItHas(TestDatabase testDb) {
    assertThatThrownBy(
            () ->
                new AgentPod(
                    PodConfig.defaults("gpu").withOrchestrators(Set.of("noop", "gpu-render")),
                    testDb.database(),
                    OrchestratorRegistry.discover(),
                    new SimpleMeterRegistry()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "PODFLOW_POD_ORCHESTRATORS names unknown orchestrator 'gpu-render'; this pod has:"
                + " fail, human, noop, sleep, subprocess");
  }
}
