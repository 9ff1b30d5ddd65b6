package dev.podflow.engine.navigation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A guarded transition back to an earlier activity runs it again as a new pass, up to its {@code
 * maxPasses}; the pass past that ends the instance in ERROR, and a retry by hand runs it after all.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class LoopsTest {
  /** draft → review → finalise when approved, else back to draft. */
  private static JsonNode reviseUntilApproved(int draftMaxPasses) {
    return Json.parse(
        """
        {"id": "revise", "activities": [
          {"id": "draft", "orchestrator": "noop", "maxPasses": %d},
          {"id": "review", "orchestrator": "noop",
           "next": [{"to": "finalise", "when": "output.approved"}, {"to": "draft", "otherwise": true}]},
          {"id": "finalise", "orchestrator": "noop"}]}"""
            .formatted(draftMaxPasses));
  }

  private static JsonNode verdict(boolean approved, int round) {
    return Json.object().put("approved", approved).put("round", round);
  }

  private static List<Task> of(EngineFixture f, UUID instance, String activityId) {
    return f.tasksOf(instance).stream().filter(t -> t.activityId().equals(activityId)).toList();
  }

  @Test
  void eachPassIsANewTaskWithItsNumberUntilTheGuardLetsTheProcessOn(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", reviseUntilApproved(25));
    UUID instance = f.start("revise", Json.object().put("topic", "tides"));

    for (int round = 1; round <= 3; round++) {
      f.completeNext("draft", Json.object().put("text", "draft " + round));
      f.completeNext("review", verdict(round == 3, round));
    }
    f.completeNext("finalise", Json.object().put("text", "final"));

    assertThat(f.instanceStatus(instance)).isEqualTo("COMPLETED");
    assertThat(of(f, instance, "draft")).extracting(Task::pass).containsExactly(1, 2, 3);
    assertThat(of(f, instance, "review")).extracting(Task::pass).containsExactly(1, 2, 3);
    assertThat(of(f, instance, "draft").get(2).input())
        .as("a pass's input is the output that led back to it")
        .isEqualTo(verdict(false, 2));
    assertThat(of(f, instance, "finalise")).extracting(Task::pass).containsExactly(1);
    List<JsonNode> queued = f.events.payloads(instance, "task_queued");
    assertThat(queued)
        .extracting(p -> p.path("activityId").asText() + "#" + p.path("pass").asInt(1))
        .containsExactly(
            "draft#1", "review#1", "draft#2", "review#2", "draft#3", "review#3", "finalise#1");
  }

  @Test
  void aLoopPastMaxPassesEndsTheInstanceInErrorAndARetryRunsOneMorePass(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    testDb
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO users (tenant_id, id, roles) VALUES ('default', 'olga',"
                        + " '{operator}')"));
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", reviseUntilApproved(2));
    UUID instance = f.start("revise", Json.object());

    f.completeNext("draft", Json.object());
    f.completeNext("review", verdict(false, 1));
    f.completeNext("draft", Json.object());
    f.completeNext("review", verdict(false, 2));

    assertThat(f.instanceStatus(instance)).isEqualTo("ERROR");
    assertThat(f.claimNext("pod")).as("nothing runs in the failed instance").isEmpty();
    Task refused = of(f, instance, "draft").getLast();
    assertThat(refused.pass()).isEqualTo(3);
    assertThat(refused.status()).isEqualTo(TaskStatus.DEAD);
    assertThat(refused.lastError()).contains("'draft' has run 2 passes, its maxPasses");
    JsonNode limit = f.events.payload(instance, "pass_limit_reached");
    assertThat(limit.path("activityId").asText()).isEqualTo("draft");
    assertThat(limit.path("pass").asInt()).isEqualTo(3);
    assertThat(limit.path("maxPasses").asInt()).isEqualTo(2);
    assertThat(limit.path("from").asText()).isEqualTo("review");
    assertThat(f.events.payload(instance, "process_failed").path("taskId").asLong())
        .isEqualTo(refused.id());
    assertThat(f.events.payloads(refused.id(), "task_dead").getFirst().path("reason").asText())
        .isEqualTo("its activity reached maxPasses");
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notifications WHERE type = 'process_error'"
                    + " AND recipient = 'olga'"))
        .isEqualTo(1);

    // An operator lets it run once more: the refused pass runs, and the next loop is refused too.
    f.engine.instances().retry(instance, "test");
    f.completeNext("draft", Json.object());
    f.completeNext("review", verdict(false, 3));
    assertThat(f.instanceStatus(instance)).isEqualTo("ERROR");
    assertThat(of(f, instance, "draft")).extracting(Task::pass).containsExactly(1, 2, 3, 4);

    // Approved on the next retry's pass: the process completes.
    f.engine.instances().retry(instance, "test");
    f.completeNext("draft", Json.object());
    f.completeNext("review", verdict(true, 4));
    f.completeNext("finalise", Json.object().put("done", true));
    assertThat(f.instanceStatus(instance)).isEqualTo("COMPLETED");
  }

  @Test
  void aJoinInsideALoopWaitsForTheBranchesOfItsOwnPass(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id": "rounds", "activities": [
              {"id": "split", "orchestrator": "noop", "next": ["left", "right"]},
              {"id": "left", "orchestrator": "noop", "next": ["merge"]},
              {"id": "right", "orchestrator": "noop", "next": ["merge"]},
              {"id": "merge", "orchestrator": "noop", "join": "all", "next": ["check"]},
              {"id": "check", "orchestrator": "noop",
               "next": [{"to": "split", "when": "output.again"}, {"to": "end", "otherwise": true}]},
              {"id": "end", "orchestrator": "noop"}]}"""));
    UUID instance = f.start("rounds", Json.object());

    for (int round = 1; round <= 2; round++) {
      f.completeNext("split", Json.object());
      f.completeNext("left", Json.object().put("side", "left").put("round", round));
      assertThat(of(f, instance, "merge").getLast().status())
          .as("round %d: the join waits for the right branch", round)
          .isEqualTo(TaskStatus.WAITING);
      f.completeNext("right", Json.object().put("side", "right").put("round", round));
      Task merge = of(f, instance, "merge").getLast();
      assertThat(merge.pass()).isEqualTo(round);
      assertThat(merge.input().path("left").path("round").asInt()).isEqualTo(round);
      assertThat(merge.input().path("right").path("round").asInt()).isEqualTo(round);
      f.completeNext("merge", Json.object());
      f.completeNext("check", Json.object().put("again", round < 2));
    }
    f.completeNext("end", Json.object());

    assertThat(f.instanceStatus(instance)).isEqualTo("COMPLETED");
    assertThat(of(f, instance, "merge")).hasSize(2).allMatch(t -> t.status() == TaskStatus.DONE);
  }
}
