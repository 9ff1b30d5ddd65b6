package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Wake-ups by NOTIFY, and a stopping pod that loses nothing. */
@ExtendWith(PodflowDatabaseExtension.class)
class PodLifecycleTest {

  @Test
  void notifyWakesAnIdlePodLongBeforeItsPoll(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("quick", "noop", "noop"));
      // A poll this long would fail the wait below: only LISTEN/NOTIFY can wake the pod in time.
      h.startPod(PodConfig.defaults("listener").withPollInterval(Duration.ofMinutes(10)));
      Eventually.await(
          Duration.ofSeconds(10),
          "pod listening",
          () ->
              h.count(
                      "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN "
                          + Channel.TASKS.sqlName()
                          + "'")
                  >= 1);
      for (int i = 0; i < 5; i++) {
        UUID instance = h.start("quick");
        Eventually.await(
            Duration.ofSeconds(5),
            "process " + i + " completed via NOTIFY",
            () -> h.instanceStatus(instance).equals("COMPLETED"));
      }
    }
  }

  @Test
  void stoppingPodHandsBackARunningTaskWithoutBurningTheAttempt(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("long", 60_000, 3));
      UUID instance = h.start("long");
      AgentPod pod =
          h.startPod(PodConfig.defaults("leaving").withShutdownGrace(Duration.ofMillis(300)));
      Eventually.await(
          Duration.ofSeconds(10),
          "task claimed",
          () -> h.tasksOf(instance).getFirst().status() == TaskStatus.IN_PROGRESS);
      pod.stop();
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(task.attempts()).isZero();
      assertThat(task.claimToken()).isNull();
      assertThat(h.events.count("task_released")).isEqualTo(1);
    }
  }

  @Test
  void stoppingPodLetsAShortTaskFinishWithinTheGrace(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("short", 700, 3));
      UUID instance = h.start("short");
      AgentPod pod =
          h.startPod(PodConfig.defaults("patient").withShutdownGrace(Duration.ofSeconds(10)));
      Eventually.await(
          Duration.ofSeconds(10),
          "task claimed",
          () -> h.tasksOf(instance).getFirst().status() == TaskStatus.IN_PROGRESS);
      pod.stop();
      assertThat(h.instanceStatus(instance)).isEqualTo("COMPLETED");
      assertThat(h.tasksOf(instance).getFirst().attempts()).isEqualTo(1);
    }
  }
}
