package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code stop()} gives up on a slot whose orchestrator ignores the interrupt (after the shutdown
 * grace and one lease) and closes the {@link Completer}. When that orchestrator finishes later, its
 * result must still end the claim, not vanish into a completer that no longer runs.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class LateCompletionAfterStopTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  /** {@code stubborn}: waits for the test's go, whatever interrupts it meanwhile. */
  static final class Stubborn implements Orchestrator {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);

    @Override
    public String name() {
      return "stubborn";
    }

    @Override
    public JsonNode run(TaskContext task) {
      entered.countDown();
      boolean interrupted = false;
      while (true) {
        try {
          go.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      return Json.object().put("late", true);
    }
  }

  @Test
  void aResultThatComesAfterStopReturnedIsNotDropped(TestDatabase testDb) throws Exception {
    Stubborn stubborn = new Stubborn();
    try (PodHarness h = new PodHarness(testDb, stubborn)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("stubborn", "stubborn"));
      UUID id = h.start("stubborn");
      AgentPod pod =
          h.startPod(
              PodConfig.defaults("stopped-early")
                  .withShutdownGrace(Duration.ZERO)
                  .withLease(Duration.ofSeconds(1)));
      try {
        assertThat(stubborn.entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        pod.stop(); // returns after the grace and one lease, the slot still running
        assertThat(h.tasksOf(id).getFirst().status()).isEqualTo(TaskStatus.IN_PROGRESS);
      } finally {
        stubborn.go.countDown();
      }

      Eventually.await(
          Duration.ofSeconds(5),
          "the late result to end the stopped pod's claim (recorded, or the task handed back)",
          () -> h.tasksOf(id).getFirst().status() != TaskStatus.IN_PROGRESS);
      Task task = h.tasksOf(id).getFirst();
      if (task.status() == TaskStatus.DONE) {
        assertThat(task.output()).isEqualTo(Json.object().put("late", true));
        assertThat(h.events.count("task_completed")).isEqualTo(1);
        assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED");
      } else {
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(h.events.count("task_released")).isEqualTo(1);
      }
    }
  }
}
