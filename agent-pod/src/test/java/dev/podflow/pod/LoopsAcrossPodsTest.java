package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Loops around a join on many pods at once: every pass of every instance joins exactly the branches
 * of its own pass, once, and the loop ends where its guard says.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class LoopsAcrossPodsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int PASSES = 3;

  /** Outputs the pass it runs in, after a pause that lets the branches interleave. */
  private static final class PassTag implements Orchestrator {
    @Override
    public String name() {
      return "pass-tag";
    }

    @Override
    public JsonNode run(TaskContext context) throws InterruptedException {
      Thread.sleep(context.claimed().task().id() % 5);
      return Json.object().put("pass", context.claimed().task().pass());
    }
  }

  /** Asks for another round until the instance has run {@link #PASSES} of it. */
  private static final class RoundCheck implements Orchestrator {
    @Override
    public String name() {
      return "round-check";
    }

    @Override
    public JsonNode run(TaskContext context) {
      return Json.object().put("again", context.claimed().task().pass() < PASSES);
    }
  }

  private static List<Task> of(PodHarness h, UUID id, String activity) {
    return h.tasksOf(id).stream().filter(t -> t.activityId().equals(activity)).toList();
  }

  @Test
  void everyPassJoinsItsOwnBranchesOnceOnEightSlots(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new PassTag(), new RoundCheck())) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"rounds","activities":[
                {"id":"split","orchestrator":"noop","next":["left","right","middle"]},
                {"id":"left","orchestrator":"pass-tag","next":["merge"]},
                {"id":"right","orchestrator":"pass-tag","next":["merge"]},
                {"id":"middle","orchestrator":"pass-tag","next":["merge"]},
                {"id":"merge","orchestrator":"noop","join":"all","next":["check"]},
                {"id":"check","orchestrator":"round-check","next":[
                  {"to":"split","when":"output.again"},{"to":"end","otherwise":true}]},
                {"id":"end","orchestrator":"noop"}]}"""));
      for (int i = 1; i <= 4; i++) {
        h.startPod(
            PodConfig.defaults("loop" + i).withSlots(2).withPollInterval(Duration.ofMillis(200)));
      }
      List<UUID> ids =
          IntStream.range(0, 20).mapToObj(i -> h.start("rounds", Json.object())).toList();
      Eventually.await(
          PATIENCE,
          "every instance completes",
          () -> ids.stream().allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));

      for (UUID id : ids) {
        List<Task> merges = of(h, id, "merge");
        assertThat(merges).extracting(Task::pass).containsExactly(1, 2, 3);
        for (Task merge : merges) {
          assertThat(merge.status()).isEqualTo(TaskStatus.DONE);
          assertThat(merge.attempts()).isEqualTo(1);
          for (String branch : List.of("left", "right", "middle")) {
            assertThat(merge.input().path(branch).path("pass").asInt())
                .as("pass %d of %s joined %s of its own pass", merge.pass(), id, branch)
                .isEqualTo(merge.pass());
          }
          assertThat(h.events.count(merge.id(), "join_arrived")).isEqualTo(3);
          assertThat(h.events.count(merge.id(), "task_completed")).isEqualTo(1);
        }
        for (String activity : List.of("split", "left", "right", "middle", "check")) {
          assertThat(of(h, id, activity)).extracting(Task::pass).containsExactly(1, 2, 3);
        }
        assertThat(of(h, id, "end")).hasSize(1);
      }
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status <> 'DONE'")).isZero();
    }
  }
}
