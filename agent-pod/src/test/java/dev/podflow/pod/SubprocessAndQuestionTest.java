package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.suspension.TaskNotWaitingException;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sub-processes (a task completes with another instance's output, and fails or is cancelled with
 * it) and questions to a person in the middle of a task ({@link AskPerson}: the answer resumes the
 * task instead of completing it).
 */
@ExtendWith(PodflowDatabaseExtension.class)
class SubprocessAndQuestionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Asks "ada" once; run again with the answer, returns it with the saved state. */
  static final class Asker implements Orchestrator {
    @Override
    public String name() {
      return "asker";
    }

    @Override
    public JsonNode run(TaskContext task) throws AskPerson {
      if (task.answer().isEmpty()) {
        throw new AskPerson(
            "ada",
            Json.parse(
                """
                {"type":"object","description":"Which colour?","required":["answer"],
                 "properties":{"answer":{"type":"string"}}}"""),
            Json.object().put("asked", "Which colour?"));
      }
      var out = Json.object();
      out.set("answer", task.answer().get());
      return out.put("asked", task.savedState().orElseThrow().get("asked").asText())
          .put("attempt", task.attempt());
    }
  }

  @Test
  void aQuestionParksTheTaskAndTheAnswerRunsItAgainExactlyOnce(TestDatabase testDb)
      throws Exception {
    try (PodHarness h = new PodHarness(testDb, new Asker())) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"q","activities":[
                {"id":"ask","orchestrator":"asker"},{"id":"after","orchestrator":"noop"}]}"""));
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      h.startPod(PodConfig.defaults("p2").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("q");
      Eventually.await(PATIENCE, "the task waits", () -> h.instanceStatus(id).equals("WAITING"));
      Task waiting = h.tasksOf(id).getFirst();
      assertThat(waiting.waitingFor()).isEqualTo(WaitingFor.ANSWER);
      assertThat(waiting.assignee()).isEqualTo("ada");
      assertThat(
              h.count(
                  "SELECT count(*) FROM notifications WHERE type = 'task_assigned'"
                      + " AND recipient = 'ada' AND task_id = "
                      + waiting.id()))
          .isEqualTo(1);

      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      List<Thread> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String colour = "colour-" + i;
        answers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        Task resumed =
                            h.engine
                                .suspensions()
                                .answer(waiting.id(), Json.object().put("answer", colour), "test");
                        assertThat(resumed.status()).isEqualTo(TaskStatus.PENDING);
                        accepted.incrementAndGet();
                      } catch (TaskNotWaitingException e) {
                        refused.incrementAndGet();
                      }
                    }));
      }
      for (Thread t : answers) t.join();
      assertThat(accepted.get()).as("exactly one answer is taken").isEqualTo(1);
      assertThat(refused.get()).isEqualTo(9);

      Eventually.await(
          PATIENCE, "the answered task completes", () -> h.instanceStatus(id).equals("COMPLETED"));
      Task done = h.tasksOf(id).getFirst();
      assertThat(done.output().get("answer").get("answer").asText()).startsWith("colour-");
      assertThat(done.output().get("asked").asText()).isEqualTo("Which colour?");
      assertThat(done.output().get("attempt").asInt()).isEqualTo(1);
      assertThat(h.events.count(done.id(), "task_resumed")).isEqualTo(1);
    }
  }

  private static void publishParentAndChild(PodHarness h, String childSecond) {
    h.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id":"child","activities":[
              {"id":"c1","orchestrator":"noop"},%s]}"""
                .formatted(childSecond)));
    h.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id":"parent","activities":[
              {"id":"before","orchestrator":"noop"},
              {"id":"sub","orchestrator":"subprocess","config":{"definition":"child"}},
              {"id":"after","orchestrator":"noop"}]}"""));
  }

  @Test
  void subprocessesOnFourPodsCompleteTheirParentTasksWithTheirOutput(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      publishParentAndChild(h, "{\"id\":\"c2\",\"orchestrator\":\"sleep\",\"config\":{\"ms\":20}}");
      for (int i = 1; i <= 4; i++) {
        h.startPod(PodConfig.defaults("p" + i).withPollInterval(Duration.ofMillis(200)));
      }
      List<UUID> ids =
          IntStream.range(0, 10)
              .mapToObj(i -> h.start("parent", Json.object().put("n", i)))
              .toList();
      Eventually.await(
          PATIENCE,
          "every parent completes",
          () -> ids.stream().allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));
      for (int i = 0; i < ids.size(); i++) {
        UUID id = ids.get(i);
        Task sub = h.tasksOf(id).get(1);
        assertThat(sub.status()).isEqualTo(TaskStatus.DONE);
        assertThat(sub.output()).isEqualTo(Json.object().put("n", i));
        assertThat(h.text("SELECT status FROM bpm_proc_inst WHERE parent_task_id = " + sub.id()))
            .isEqualTo("COMPLETED");
        assertThat(h.tasksOf(id).getLast().activityId()).isEqualTo("after");
      }
      assertThat(h.count("SELECT count(*) FROM bpm_proc_inst WHERE proc_def_id = 'child'"))
          .as("one sub-process per parent, none started twice")
          .isEqualTo(10);
    }
  }

  @Test
  void aFailedSubprocessFailsItsParentTaskAndInstance(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      testDb
          .database()
          .jdbi()
          .useHandle(
              db ->
                  db.execute(
                      "INSERT INTO users (tenant_id, id, roles) VALUES ('default', 'olga',"
                          + " '{operator}')"));
      publishParentAndChild(
          h, "{\"id\":\"c2\",\"orchestrator\":\"fail\",\"config\":{\"message\":\"no\"}}");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("parent");
      Eventually.await(PATIENCE, "the parent fails", () -> h.instanceStatus(id).equals("ERROR"));
      Task sub = h.tasksOf(id).get(1);
      assertThat(sub.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(sub.lastError()).contains("sub-process child").contains("failed at c2");
      assertThat(
              h.count(
                  "SELECT count(*) FROM notifications WHERE type = 'process_error'"
                      + " AND proc_inst_id = '"
                      + id
                      + "'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aSubprocessWhoseInputBreaksItsInputSchemaFailsTheParentTaskAndStartsNothing(
      TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"child","inputSchema":{"type":"object","required":["topic"]},
               "activities":[{"id":"c1","orchestrator":"noop"}]}"""));
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"parent","activities":[
                {"id":"sub","orchestrator":"subprocess","config":{"definition":"child"}}]}"""));
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("parent");
      Eventually.await(PATIENCE, "the parent fails", () -> h.instanceStatus(id).equals("ERROR"));
      Task sub = h.tasksOf(id).getFirst();
      assertThat(sub.status()).isEqualTo(TaskStatus.DEAD);
      assertThat(sub.attempts()).as("not retried: the input will not change").isEqualTo(1);
      assertThat(sub.lastError())
          .contains("cannot start the sub-process")
          .contains("/input: required property 'topic' not found");
      assertThat(h.count("SELECT count(*) FROM bpm_proc_inst WHERE proc_def_id = 'child'"))
          .isZero();
    }
  }

  @Test
  void cancellingAParentCancelsItsSubprocessAndCancellingASubprocessFailsItsParent(
      TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      publishParentAndChild(
          h, "{\"id\":\"c2\",\"orchestrator\":\"human\",\"config\":{\"assignee\":\"bo\"}}");
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      InstanceCommands commands = h.engine.instances();

      UUID parent = h.start("parent");
      Eventually.await(
          PATIENCE,
          "the sub-process waits for its person",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'WAITING'") == 2);
      commands.cancel(parent, "test");
      assertThat(h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'CANCELLED'"))
          .as("the parent and its sub-process")
          .isEqualTo(2);

      UUID second = h.start("parent");
      Eventually.await(
          PATIENCE,
          "the second sub-process waits for its person",
          () ->
              h.count(
                      "SELECT count(*) FROM bpm_proc_inst WHERE status = 'WAITING'"
                          + " AND proc_def_id = 'child'")
                  == 1);
      UUID child =
          UUID.fromString(
              h.text(
                  "SELECT id FROM bpm_proc_inst WHERE status = 'WAITING' AND proc_def_id = 'child'"));
      commands.cancel(child, "test");
      assertThat(h.instanceStatus(second)).isEqualTo("ERROR");
      assertThat(h.tasksOf(second).get(1).lastError()).contains("was cancelled");
    }
  }
}
