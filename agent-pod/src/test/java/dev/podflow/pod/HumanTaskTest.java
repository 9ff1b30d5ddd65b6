package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.suspension.FormViolationException;
import dev.podflow.engine.suspension.TaskNotWaitingException;
import dev.podflow.store.Json;
import dev.podflow.store.event.Event;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code human} orchestrator parks its task for a person (WAITING, notification queued, slot
 * free) and the person's answer resumes the process where a pod's output would have.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class HumanTaskTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final JsonNode FORM =
      Json.parse(
          """
          {"type":"object","required":["approved"],
           "properties":{"approved":{"type":"boolean"},"note":{"type":"string"}}}""");

  @Test
  void aHumanStepWaitsForItsAssigneeAndTheAnswerFlowsIntoTheNextStep(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"review","name":"Review a draft","activities":[
                {"id":"draft","orchestrator":"noop"},
                {"id":"check","name":"Check the draft","orchestrator":"human",
                 "config":{"assignee":"ada","form":%s}},
                {"id":"finish","orchestrator":"noop"}]}"""
                  .formatted(FORM)));
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("review", Json.object().put("text", "draft 1"));

      Eventually.await(
          PATIENCE,
          "the human task waits and the instance with it",
          () -> h.instanceStatus(id).equals("WAITING"));
      List<Task> tasks = h.tasksOf(id);
      assertThat(tasks).extracting(Task::activityId).containsExactly("draft", "check");
      Task waiting = tasks.get(1);
      assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING);
      assertThat(waiting.assignee()).isEqualTo("ada");
      assertThat(waiting.form()).isEqualTo(FORM);
      assertThat(waiting.leaseExpiresAt()).as("no lease runs out on a waiting task").isNull();
      assertThat(waiting.input()).isEqualTo(Json.object().put("text", "draft 1"));
      Event parked = event(h, id, "task_waiting");
      assertThat(parked.taskId()).isEqualTo(waiting.id());
      assertThat(parked.payload().get("assignee").asText()).isEqualTo("ada");
      assertThat(parked.payload().get("form")).isEqualTo(FORM);
      assertThat(
              h.count(
                  "SELECT count(*) FROM notifications WHERE type = 'task_assigned'"
                      + " AND recipient = 'ada' AND task_id = "
                      + waiting.id()
                      + " AND title LIKE 'Review a draft: Check the draft%'"))
          .isEqualTo(1);

      FormViolationException refused =
          catchThrowableOfType(
              FormViolationException.class,
              () ->
                  h.engine
                      .suspensions()
                      .answer(waiting.id(), Json.object().put("note", "ok"), "test"));
      assertThat(refused.violations()).isNotEmpty();
      assertThat(h.tasksOf(id).get(1).status())
          .as("a refused answer changes nothing")
          .isEqualTo(TaskStatus.WAITING);

      ObjectNode answer = Json.object().put("approved", true).put("note", "ship it");
      Task done = h.engine.suspensions().answer(waiting.id(), answer, "test");
      assertThat(done.status()).isEqualTo(TaskStatus.DONE);
      assertThat(done.output()).isEqualTo(answer);

      Eventually.await(
          PATIENCE,
          "the last step runs and completes the instance",
          () -> h.instanceStatus(id).equals("COMPLETED"));
      Task finish = h.tasksOf(id).get(2);
      assertThat(finish.activityId()).isEqualTo("finish");
      assertThat(finish.input())
          .as("the person's answer is the next step's input")
          .isEqualTo(answer);
      assertThat(finish.output()).isEqualTo(answer);
      JsonNode completed = h.events.payload(waiting.id(), "task_completed");
      assertThat(completed.get("completedBy").asText()).isEqualTo("human");
      assertThat(completed.get("output")).isEqualTo(answer);
      assertThat(
              catchThrowableOfType(
                  TaskNotWaitingException.class,
                  () -> h.engine.suspensions().answer(waiting.id(), answer, "test")))
          .isNotNull();
      Counter lost = h.metrics.find("podflow.leases.lost").counter();
      assertThat(lost == null ? 0 : lost.count()).as("parking is not a lost lease").isZero();
    }
  }

  @Test
  void anInstanceWaitsOnlyWhenNoOtherBranchCanRun(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"fan","activities":[
                {"id":"start","orchestrator":"noop","next":["ask","work"]},
                {"id":"ask","orchestrator":"human","config":{"assignee":"bob"},"next":[]},
                {"id":"work","orchestrator":"sleep","config":{"ms":1500},"next":[]}]}"""));
      h.startPod(PodConfig.defaults("p1").withSlots(2).withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("fan");

      Eventually.await(
          PATIENCE,
          "the human branch waits while the other one runs",
          () -> h.tasksOf(id).stream().anyMatch(t -> t.status() == TaskStatus.WAITING));
      assertThat(h.instanceStatus(id)).as("a pod still has work").isEqualTo("RUNNING");
      Eventually.await(
          PATIENCE,
          "the other branch ends and the instance waits",
          () -> h.instanceStatus(id).equals("WAITING"));

      long ask =
          h.tasksOf(id).stream()
              .filter(t -> t.activityId().equals("ask"))
              .findFirst()
              .orElseThrow()
              .id();
      h.engine.suspensions().answer(ask, Json.object().put("any", "object"), "test");
      assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED");
    }
  }

  @Test
  void aWaitingInstanceCanBeCancelledAndItsTaskThenRefusesAnswers(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"ask","activities":[
                {"id":"ask","orchestrator":"human","config":{"assignee":"cy"}},
                {"id":"after","orchestrator":"noop"}]}"""));
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("ask");
      Eventually.await(
          PATIENCE, "the instance waits", () -> h.instanceStatus(id).equals("WAITING"));
      long ask = h.tasksOf(id).getFirst().id();

      var state = h.engine.instances().cancel(id, "test");

      assertThat(state.instance().status().name()).isEqualTo("CANCELLED");
      assertThat(state.changedTaskIds()).containsExactly(ask);
      assertThat(h.tasksOf(id).getFirst().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(event(h, id, "task_cancelled").payload().get("previousStatus").asText())
          .isEqualTo("WAITING");
      TaskNotWaitingException refused =
          catchThrowableOfType(
              TaskNotWaitingException.class,
              () -> h.engine.suspensions().answer(ask, Json.object(), "test"));
      assertThat(refused.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(h.tasksOf(id)).hasSize(1);
    }
  }

  private static Event event(PodHarness h, UUID id, String type) {
    return h.events.of(id, type).getFirst();
  }
}
