package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many pods in one JVM, each with its own pool, drain a queue: every task runs exactly once. */
@ExtendWith(PodflowDatabaseExtension.class)
class ConcurrentDrainTest {

  @Test
  void eightPodsDrainThreeThousandTasksEachExactlyOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Definitions.linear("three-steps", "noop", "noop", "noop"));
      // Enqueue before the pods start, so they all compete for one deep queue.
      IntStream.range(0, 1000).parallel().forEach(i -> h.start("three-steps"));
      for (int i = 0; i < 8; i++) {
        h.startPod(PodConfig.defaults("pod-" + i).withSlots(i % 2 == 0 ? 1 : 3));
      }
      Eventually.await(
          Duration.ofMinutes(3),
          "1000 processes completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 1000);

      assertThat(h.count("SELECT count(*) FROM todolist")).isEqualTo(3000);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status <> 'DONE'")).isZero();
      assertThat(h.count("SELECT count(*) FROM todolist WHERE attempts <> 1"))
          .as("no task claimed twice")
          .isZero();
      assertThat(h.events.tasksWithMoreThanOne("task_completed"))
          .as("tasks completed other than exactly once")
          .isZero();
      assertThat(h.events.count("task_completed")).isEqualTo(3000);
      assertThat(h.events.count("task_claimed")).isEqualTo(3000);
      assertThat(h.events.count("process_completed")).isEqualTo(1000);
      assertThat(h.metrics.counter("podflow.leases.lost").count())
          .as("no claim reported lost: heartbeats racing completions are not losses")
          .isZero();
      List<Map<String, Object>> byPod =
          testDb
              .database()
              .jdbi()
              .withHandle(
                  x ->
                      x.createQuery(
                              "SELECT claimed_by, count(*) AS n FROM todolist GROUP BY claimed_by")
                          .mapToMap()
                          .list());
      assertThat(byPod).as("work spread over the pods").hasSizeGreaterThan(4);
    }
  }

  @Test
  void parallelBranchesCompleteTheInstanceOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      var definition = Definitions.linear("fan-out", "noop", "noop", "noop", "noop");
      var activities = definition.withArray("activities");
      ((ObjectNode) activities.get(0)).putArray("next").add("a2").add("a3").add("a4");
      ((ObjectNode) activities.get(1)).putArray("next");
      ((ObjectNode) activities.get(2)).putArray("next");
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);
      IntStream.range(0, 200).forEach(i -> h.start("fan-out"));
      for (int i = 0; i < 4; i++) h.startPod(PodConfig.defaults("fan-" + i).withSlots(2));
      Eventually.await(
          Duration.ofMinutes(1),
          "200 fan-out processes completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 200);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'DONE'")).isEqualTo(800);
      assertThat(h.events.count("process_completed")).isEqualTo(200);
    }
  }
}
