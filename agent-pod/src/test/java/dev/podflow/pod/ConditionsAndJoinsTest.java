package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
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
 * Conditional transitions choose branches by the completed step's output; a join starts once, when
 * no open task can still reach it, with the outputs of the branches that arrived.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ConditionsAndJoinsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static List<Task> of(PodHarness h, UUID id, String activity) {
    return h.tasksOf(id).stream().filter(t -> t.activityId().equals(activity)).toList();
  }

  @Test
  void parallelBranchesOnFourPodsJoinExactlyOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"split","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b","c"]},
                {"id":"a","orchestrator":"sleep","config":{"ms":30},"next":["join"]},
                {"id":"b","orchestrator":"sleep","config":{"ms":10},"next":["join"]},
                {"id":"c","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
      for (int i = 1; i <= 4; i++) {
        h.startPod(PodConfig.defaults("j" + i).withPollInterval(Duration.ofMillis(200)));
      }
      List<UUID> ids =
          IntStream.range(0, 20)
              .mapToObj(i -> h.start("split", Json.object().put("n", i)))
              .toList();
      Eventually.await(
          PATIENCE,
          "every instance completes",
          () -> ids.stream().allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));
      for (int i = 0; i < ids.size(); i++) {
        UUID id = ids.get(i);
        List<Task> joins = of(h, id, "join");
        assertThat(joins).as("one join task per instance").hasSize(1);
        Task join = joins.getFirst();
        assertThat(join.attempts()).isEqualTo(1);
        assertThat(join.input().properties())
            .extracting(java.util.Map.Entry::getKey)
            .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(join.input().get("a")).isEqualTo(Json.object().put("n", i));
        assertThat(h.events.count(join.id(), "join_arrived")).isEqualTo(3);
        assertThat(h.events.count(join.id(), "task_completed")).isEqualTo(1);
      }
    }
  }

  @Test
  void conditionsChooseTheBranchAndOtherwiseCatchesTheRest(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"route","activities":[
                {"id":"score","orchestrator":"noop","next":[
                  {"to":"approve","when":"output.score >= 0.8 and process.input.region = \\"eu\\""},
                  {"to":"review","when":"output.score >= 0.5"},
                  {"to":"reject","otherwise":true}]},
                {"id":"approve","orchestrator":"noop","next":[]},
                {"id":"review","orchestrator":"noop","next":[]},
                {"id":"reject","orchestrator":"noop","next":[]}]}"""));
      h.startPod(PodConfig.defaults("r1").withPollInterval(Duration.ofMillis(200)));
      UUID both = h.start("route", Json.object().put("score", 0.9).put("region", "eu"));
      UUID review = h.start("route", Json.object().put("score", 0.9).put("region", "us"));
      UUID reject = h.start("route", Json.object().put("score", 0.2).put("region", "eu"));
      Eventually.await(
          PATIENCE,
          "all complete",
          () ->
              List.of(both, review, reject).stream()
                  .allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));
      assertThat(h.tasksOf(both))
          .extracting(Task::activityId)
          .containsExactlyInAnyOrder("score", "approve", "review");
      assertThat(h.tasksOf(review))
          .extracting(Task::activityId)
          .containsExactlyInAnyOrder("score", "review");
      assertThat(h.tasksOf(reject))
          .extracting(Task::activityId)
          .containsExactlyInAnyOrder("score", "reject");
    }
  }

  /** Answers with {@code {"reviewed": true}}, whatever its input. */
  static final class Stamp implements Orchestrator {
    @Override
    public String name() {
      return "stamp";
    }

    @Override
    public JsonNode run(TaskContext context) {
      return Json.object().put("reviewed", true);
    }
  }

  @Test
  void conditionsReadEarlierStepsAndRecordWhatTheyCouldNotDecide(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new Stamp())) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"steps","activities":[
                {"id":"draft-1","orchestrator":"noop"},
                {"id":"review","orchestrator":"stamp","next":[
                  {"to":"publish","when":"steps.`draft-1`.output.words > 100 and output.reviewed"},
                  {"to":"audit","when":"output.score > 0.5"},
                  {"to":"shorten","otherwise":true}]},
                {"id":"publish","orchestrator":"noop","next":[]},
                {"id":"audit","orchestrator":"noop","next":[]},
                {"id":"shorten","orchestrator":"noop","next":[]}]}"""));
      h.startPod(PodConfig.defaults("s1").withPollInterval(Duration.ofMillis(200)));
      UUID long_ = h.start("steps", Json.object().put("words", 150));
      UUID short_ = h.start("steps", Json.object().put("words", 50));
      Eventually.await(
          PATIENCE,
          "both complete",
          () ->
              h.instanceStatus(long_).equals("COMPLETED")
                  && h.instanceStatus(short_).equals("COMPLETED"));
      assertThat(h.tasksOf(long_))
          .extracting(Task::activityId)
          .containsExactly("draft-1", "review", "publish");
      assertThat(h.tasksOf(short_))
          .extracting(Task::activityId)
          .containsExactly("draft-1", "review", "shorten");
      // output.score is missing: the audit condition is null, recorded on the review task
      for (UUID id : List.of(long_, short_)) {
        Task review = of(h, id, "review").getFirst();
        assertThat(h.events.payload(review.id(), "condition_failed").toString())
            .satisfies(
                payload ->
                    assertThat(Json.parse(payload))
                        .isEqualTo(
                            Json.object()
                                .put("activityId", "review")
                                .put("to", "audit")
                                .put("when", "output.score > 0.5")
                                .put(
                                    "problem",
                                    "is null, not true or false (No context entry found with key"
                                        + " 'score'. Available keys: 'reviewed'; Can't compare"
                                        + " 'null' with '0.5')")));
      }
    }
  }

  @Test
  void aJoinDoesNotWaitForABranchNotTakenButWaitsForAPerson(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"maybe","activities":[
                {"id":"start","orchestrator":"noop","next":[
                  {"to":"extra","when":"output.extra = true"},"ask","quick"]},
                {"id":"extra","orchestrator":"noop","next":["join"]},
                {"id":"ask","orchestrator":"human","config":{"assignee":"ada"},"next":["join"]},
                {"id":"quick","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
      h.startPod(PodConfig.defaults("m1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("maybe", Json.object().put("extra", false));
      Eventually.await(
          PATIENCE,
          "quick has arrived at the join, which waits for the person",
          () ->
              of(h, id, "join").size() == 1
                  && h.events.count("join_arrived") == 1
                  && h.instanceStatus(id).equals("WAITING"));
      Task join = of(h, id, "join").getFirst();
      assertThat(join.status()).isEqualTo(TaskStatus.WAITING);
      assertThat(join.waitingFor()).isEqualTo(WaitingFor.JOIN);
      assertThat(of(h, id, "extra")).as("the branch not taken").isEmpty();

      h.engine
          .suspensions()
          .answer(of(h, id, "ask").getFirst().id(), Json.object().put("ok", true), "test");
      Eventually.await(
          PATIENCE, "the join runs and completes", () -> h.instanceStatus(id).equals("COMPLETED"));
      Task joined = of(h, id, "join").getFirst();
      assertThat(joined.input().get("ask")).isEqualTo(Json.object().put("ok", true));
      assertThat(joined.input().has("quick")).isTrue();
      assertThat(joined.input().has("extra")).isFalse();
    }
  }
}
