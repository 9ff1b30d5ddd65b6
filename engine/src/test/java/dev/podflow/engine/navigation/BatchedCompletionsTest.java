package dev.podflow.engine.navigation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code completeAll} records many completions in one transaction: fenced one by one (a stale one
 * is refused alone), an instance's completions followed together, so joins, ends and parents that
 * wait for children see the whole batch and are released exactly once.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class BatchedCompletionsTest {
  private static List<Completion> completions(List<ClaimedTask> claimed) {
    return claimed.stream()
        .map(c -> new Completion(c.task(), Json.object().put("by", c.task().activityId())))
        .toList();
  }

  // --- completeAll(List<Completion>) ----------------------------------------------------------

  @Test
  void aStaleCompletionInABatchIsRefusedAloneAndTheOthersGoAhead(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT, "test", Definitions.linear("two", "noop", "noop"));
    for (int i = 0; i < 3; i++) f.start("two");
    List<ClaimedTask> claimed = f.claim("pod-a", 3);
    assertThat(claimed).hasSize(3);
    ClaimedTask stale = claimed.get(1);
    ClaimedTask reclaimed = f.rescueAndReclaim(stale.task(), "pod-b");

    List<TaskOutcome> outcomes =
        f.engine
            .completions()
            .completeAll(
                List.of(
                    new Completion(claimed.get(0).task(), Json.object().put("k", 0)),
                    new Completion(stale.task(), Json.object().put("k", 1)),
                    new Completion(claimed.get(2).task(), Json.object().put("k", 2))));

    assertThat(outcomes)
        .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.STALE, TaskOutcome.COMPLETED);
    // Nothing of the stale one: still pod-b's, no event, no successor, instance untouched.
    Task stillClaimed = f.task(stale.task().id());
    assertThat(stillClaimed.status()).isEqualTo(TaskStatus.IN_PROGRESS);
    assertThat(stillClaimed.claimedBy()).isEqualTo("pod-b");
    assertThat(stillClaimed.claimToken()).isEqualTo(reclaimed.task().claimToken());
    assertThat(stillClaimed.output()).isNull();
    assertThat(f.events.count(stale.task().id(), "task_completed")).isZero();
    assertThat(f.tasksOf(stale.task().procInstId(), "a2")).isEmpty();
    assertThat(f.instanceStatus(stale.task().procInstId())).isEqualTo("RUNNING");
    // The others: DONE with their event and their successor queued with the output as input.
    for (int k : new int[] {0, 2}) {
      Task done = f.task(claimed.get(k).task().id());
      assertThat(done.status()).isEqualTo(TaskStatus.DONE);
      assertThat(done.output()).isEqualTo(Json.object().put("k", k));
      assertThat(done.finishedAt()).isNotNull();
      assertThat(done.leaseExpiresAt()).isNull();
      assertThat(f.events.count(done.id(), "task_completed")).isEqualTo(1);
      JsonNode payload = f.events.payload(done.id(), "task_completed");
      assertThat(payload.get("activityId").asText()).isEqualTo("a1");
      assertThat(payload.get("attempt").asInt()).isEqualTo(1);
      assertThat(payload.get("output")).isEqualTo(Json.object().put("k", k));
      List<Task> next = f.tasksOf(done.procInstId(), "a2");
      assertThat(next).hasSize(1);
      assertThat(next.getFirst().status()).isEqualTo(TaskStatus.PENDING);
      assertThat(next.getFirst().input()).isEqualTo(Json.object().put("k", k));
      assertThat(f.events.count(next.getFirst().id(), "task_queued")).isEqualTo(1);
      assertThat(f.instanceStatus(done.procInstId())).isEqualTo("RUNNING");
    }

    // The new holder completes it as usual.
    assertThat(
            f.engine
                .completions()
                .completeAll(List.of(new Completion(reclaimed.task(), Json.object()))))
        .containsExactly(TaskOutcome.COMPLETED);
    assertThat(f.events.count(stale.task().id(), "task_completed")).isEqualTo(1);
    assertThat(f.tasksOf(stale.task().procInstId(), "a2")).hasSize(1);
  }

  @Test
  void aBatchOfOnlyStaleCompletionsWritesNothing(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
    UUID instance = f.start("one");
    Task first = f.claimNext("pod-a").orElseThrow().task();
    ClaimedTask second = f.rescueAndReclaim(first, "pod-b");
    long eventsBefore = f.events.count();

    assertThat(f.engine.completions().completeAll(List.of(new Completion(first, Json.object()))))
        .containsExactly(TaskOutcome.STALE);
    assertThat(f.engine.completions().completeAll(List.of())).isEmpty();

    assertThat(f.events.count()).isEqualTo(eventsBefore);
    assertThat(f.task(first.id()).claimToken()).isEqualTo(second.task().claimToken());
    assertThat(f.instanceStatus(instance)).isEqualTo("RUNNING");
  }

  @Test
  void twoBranchesCompletedInOneBatchArriveAtTheirJoinAndReleaseItOnce(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
              {"id":"split","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b"]},
                {"id":"a","orchestrator":"noop","next":["join"]},
                {"id":"b","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
    // Both orders in which a batch can list the two branches.
    for (boolean reversed : new boolean[] {false, true}) {
      UUID id = f.start("split", Json.object().put("reversed", reversed));
      f.engine.completions().complete(f.claimNext("pod-a").orElseThrow().task(), Json.object());
      List<ClaimedTask> branches = new ArrayList<>(f.claim("pod-a", 2));
      assertThat(branches)
          .extracting(c -> c.task().activityId())
          .containsExactlyInAnyOrder("a", "b");
      if (reversed) Collections.reverse(branches);

      assertThat(f.engine.completions().completeAll(completions(branches)))
          .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

      List<Task> joins = f.tasksOf(id, "join");
      assertThat(joins).as("one join task").hasSize(1);
      Task join = joins.getFirst();
      assertThat(join.status())
          .as("released: no branch is left to wait for")
          .isEqualTo(TaskStatus.PENDING);
      assertThat(join.input().properties()).hasSize(2);
      assertThat(join.input().get("a")).isEqualTo(Json.object().put("by", "a"));
      assertThat(join.input().get("b")).isEqualTo(Json.object().put("by", "b"));
      assertThat(f.events.count(join.id(), "join_arrived")).isEqualTo(2);
      assertThat(f.events.count(join.id(), "task_queued")).as("released exactly once").isEqualTo(1);
      assertThat(f.instanceStatus(id)).isEqualTo("RUNNING");

      ClaimedTask joined = f.claimNext("pod-a").orElseThrow();
      assertThat(joined.task().id()).isEqualTo(join.id());
      f.engine.completions().complete(joined.task(), Json.object());
      assertThat(f.instanceStatus(id)).isEqualTo("COMPLETED");
      assertThat(f.events.count(id, "process_completed")).isEqualTo(1);
    }
  }

  @Test
  void twoOfThreeBranchesInOneBatchDoNotReleaseTheJoinBeforeTheThird(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
              {"id":"split3","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b","c"]},
                {"id":"a","orchestrator":"noop","next":["join"]},
                {"id":"b","orchestrator":"noop","next":["join"]},
                {"id":"c","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
    UUID id = f.start("split3");
    f.engine.completions().complete(f.claimNext("pod-a").orElseThrow().task(), Json.object());
    List<ClaimedTask> branches = f.claim("pod-a", 3);
    ClaimedTask c =
        branches.stream().filter(t -> t.task().activityId().equals("c")).findFirst().orElseThrow();
    List<ClaimedTask> ab = branches.stream().filter(t -> t != c).toList();

    assertThat(f.engine.completions().completeAll(completions(ab)))
        .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);
    Task join = f.tasksOf(id, "join").getFirst();
    assertThat(join.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(join.waitingFor()).isEqualTo(WaitingFor.JOIN);
    assertThat(join.input().properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(f.events.count(join.id(), "task_queued")).isZero();

    f.engine.completions().complete(c.task(), Json.object().put("by", "c"));
    Task released = f.tasksOf(id, "join").getFirst();
    assertThat(f.tasksOf(id, "join")).hasSize(1);
    assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(released.input().properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(f.events.count(join.id(), "task_queued")).isEqualTo(1);
  }

  @Test
  void aBranchThatEndsInTheSameBatchAsOneThatGoesOnDoesNotCompleteTheInstance(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
              {"id":"uneven","activities":[
                {"id":"start","orchestrator":"noop","next":["ends","goes"]},
                {"id":"ends","orchestrator":"noop","next":[]},
                {"id":"goes","orchestrator":"noop","next":["after"]},
                {"id":"after","orchestrator":"noop","next":[]}]}"""));
    for (boolean reversed : new boolean[] {false, true}) {
      UUID id = f.start("uneven");
      f.engine.completions().complete(f.claimNext("pod-a").orElseThrow().task(), Json.object());
      List<ClaimedTask> branches = new ArrayList<>(f.claim("pod-a", 2));
      if (reversed) Collections.reverse(branches);

      assertThat(f.engine.completions().completeAll(completions(branches)))
          .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

      assertThat(f.instanceStatus(id)).as("'after' is still to run").isEqualTo("RUNNING");
      assertThat(f.events.count(id, "process_completed")).isZero();
      List<Task> after = f.tasksOf(id, "after");
      assertThat(after).hasSize(1);
      assertThat(after.getFirst().status()).isEqualTo(TaskStatus.PENDING);
      assertThat(after.getFirst().input()).isEqualTo(Json.object().put("by", "goes"));

      f.engine
          .completions()
          .complete(f.claimNext("pod-a").orElseThrow().task(), Json.object().put("last", true));
      assertThat(f.instanceStatus(id)).isEqualTo("COMPLETED");
      assertThat(f.events.count(id, "process_completed")).isEqualTo(1);
    }
  }

  @Test
  void twoLastBranchesInOneBatchCompleteTheInstanceOnce(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
              {"id":"both-end","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b"]},
                {"id":"a","orchestrator":"noop","next":[]},
                {"id":"b","orchestrator":"noop","next":[]}]}"""));
    UUID id = f.start("both-end");
    f.engine.completions().complete(f.claimNext("pod-a").orElseThrow().task(), Json.object());
    List<ClaimedTask> branches = f.claim("pod-a", 2);

    assertThat(f.engine.completions().completeAll(completions(branches)))
        .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

    assertThat(f.instanceStatus(id)).isEqualTo("COMPLETED");
    assertThat(f.events.count(id, "process_completed")).isEqualTo(1);
    assertThat(f.tasksOf(id)).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.DONE));
  }

  @Test
  void childTasksCompletedInOneBatchResumeTheirParentOnce(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT, "test", Definitions.linear("research", "noop", "noop"));
    UUID id = f.start("research");
    Task parent = f.claimNext("pod-a").orElseThrow().task();
    List<JsonNode> inputs =
        List.of(
            Json.object().put("part", 1),
            Json.object().put("part", 2),
            Json.object().put("part", 3),
            Json.object().put("part", 4));
    assertThat(
            f.engine.suspensions().spawnChildren(parent, Json.object().put("planned", 4), inputs))
        .isEqualTo(TaskOutcome.WAITING);
    List<ClaimedTask> children = f.claim("pod-a", 10);
    assertThat(children).hasSize(4);
    assertThat(children)
        .allSatisfy(c -> assertThat(c.task().parentTaskId()).isEqualTo(parent.id()));

    // Three children in one batch: the parent still waits for the fourth.
    List<TaskOutcome> firstBatch =
        f.engine
            .completions()
            .completeAll(
                children.subList(0, 3).stream()
                    .map(c -> new Completion(c.task(), c.task().input()))
                    .toList());
    assertThat(firstBatch).containsOnly(TaskOutcome.COMPLETED).hasSize(3);
    assertThat(f.task(parent.id()).status()).isEqualTo(TaskStatus.WAITING);
    assertThat(f.events.count(parent.id(), "task_resumed")).isZero();

    // Run the scenario again with all of a second parent's children in one batch.
    UUID id2 = f.start("research");
    Task parent2 = f.claimNext("pod-a").orElseThrow().task();
    assertThat(parent2.procInstId()).isEqualTo(id2);
    f.engine
        .suspensions()
        .spawnChildren(parent2, Json.object().put("planned", 3), inputs.subList(0, 3));
    List<ClaimedTask> children2 = f.claim("pod-a", 10);
    assertThat(children2).hasSize(3);
    List<Completion> batch = new ArrayList<>();
    batch.add(new Completion(children.get(3).task(), children.get(3).task().input()));
    children2.forEach(c -> batch.add(new Completion(c.task(), c.task().input())));

    assertThat(f.engine.completions().completeAll(batch))
        .containsOnly(TaskOutcome.COMPLETED)
        .hasSize(4);

    for (Task p : List.of(parent, parent2)) {
      Task resumed = f.task(p.id());
      assertThat(resumed.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(resumed.attempts()).isZero();
      assertThat(resumed.checkpoint().get("state").has("planned")).isTrue();
      assertThat(f.events.count(p.id(), "task_resumed"))
          .as("parent %d resumed once", p.id())
          .isEqualTo(1);
    }
    assertThat(f.instanceStatus(id)).isEqualTo("RUNNING");
    assertThat(f.instanceStatus(id2)).isEqualTo("RUNNING");
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE activity_id = 'a2'"))
        .as("children have no successors")
        .isZero();

    ClaimedTask again = f.claimNext("pod-a").orElseThrow();
    assertThat(again.task().id()).isIn(parent.id(), parent2.id());
    List<Integer> parts = again.task().id() == parent.id() ? List.of(1, 2, 3, 4) : List.of(1, 2, 3);
    assertThat(again.children())
        .extracting(t -> t.output().get("part").asInt())
        .containsExactlyInAnyOrderElementsOf(parts);
  }
}
