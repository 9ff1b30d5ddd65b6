package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.ProcessNotCancellableException;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.AwaitChildren;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task that splits into child tasks ({@link AwaitChildren}): the children are claimed by any pod,
 * the last one to finish resumes the parent exactly once, and cancel and retry reach the children.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ChildTasksTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * First run: splits into {@code config.parts} children. A child sleeps a little and reports its
   * pod. Second run (children done): sums the parts.
   */
  static final class FanOut implements Orchestrator {
    final Set<Long> failOnceForPart = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
      return "fan-out";
    }

    @Override
    public JsonNode run(TaskContext task) throws Exception {
      if (task.isChild()) {
        int part = task.input().get("part").asInt();
        if (failOnceForPart.remove((long) part)) {
          throw TaskFailedException.permanent("part " + part + " is poisoned");
        }
        Thread.sleep(30);
        return Json.object().put("part", part).put("pod", task.podId());
      }
      if (task.children().isEmpty()) {
        int parts = task.config().get("parts").asInt();
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 1; i <= parts; i++) inputs.add(Json.object().put("part", i));
        throw new AwaitChildren(inputs, Json.object().put("planned", parts));
      }
      ObjectNode out = Json.object();
      out.put("sum", task.children().stream().mapToInt(c -> c.output().get("part").asInt()).sum());
      out.put("planned", task.savedState().orElseThrow().get("planned").asInt());
      out.put("attempt", task.attempt());
      out.putArray("pods")
          .addAll(
              task.children().stream()
                  .map(c -> (JsonNode) c.output().get("pod"))
                  .distinct()
                  .toList());
      return out;
    }
  }

  private static void publish(PodHarness h, int parts) {
    h.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id":"split","activities":[
              {"id":"plan","orchestrator":"fan-out","config":{"parts":%d}},
              {"id":"after","orchestrator":"noop"}]}"""
                .formatted(parts)));
  }

  @Test
  void childTasksSpreadOverFourPodsAndTheLastResumesTheParentOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new FanOut())) {
      publish(h, 8);
      for (int i = 1; i <= 4; i++) {
        h.startPod(PodConfig.defaults("p" + i).withPollInterval(Duration.ofMillis(200)));
      }
      List<UUID> ids = IntStream.range(0, 6).mapToObj(i -> h.start("split")).toList();

      Eventually.await(
          PATIENCE,
          "every instance completes",
          () -> ids.stream().allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));

      Set<String> childPods = new java.util.HashSet<>();
      for (UUID id : ids) {
        List<Task> tasks = h.tasksOf(id);
        Task parent = tasks.getFirst();
        List<Task> children =
            tasks.stream().filter(t -> t.parentTaskId() != null).collect(Collectors.toList());
        assertThat(children).hasSize(8);
        assertThat(children)
            .allSatisfy(
                c -> {
                  assertThat(c.parentTaskId()).isEqualTo(parent.id());
                  assertThat(c.status()).isEqualTo(TaskStatus.DONE);
                  assertThat(c.attempts()).isEqualTo(1);
                });
        children.forEach(c -> childPods.add(c.output().get("pod").asText()));
        assertThat(parent.status()).isEqualTo(TaskStatus.DONE);
        assertThat(parent.output().get("sum").asInt()).isEqualTo(36);
        assertThat(parent.output().get("planned").asInt()).isEqualTo(8);
        assertThat(parent.output().get("attempt").asInt())
            .as("the resumed part of the work starts with fresh attempts")
            .isEqualTo(1);
        assertThat(h.events.count(parent.id(), "task_resumed"))
            .as("the last child resumes the parent exactly once")
            .isEqualTo(1);
        assertThat(h.events.count(id, "task_completed"))
            .as("every task completed exactly once: parent, 8 children, after")
            .isEqualTo(10);
        Task after = tasks.getLast();
        assertThat(after.activityId()).isEqualTo("after");
        assertThat(after.input()).isEqualTo(parent.output());
      }
      assertThat(childPods).as("children were claimed by several pods").hasSizeGreaterThan(1);
    }
  }

  @Test
  void aDeadChildFailsTheInstanceAndARetryResumesTheParent(TestDatabase testDb) {
    FanOut fanOut = new FanOut();
    fanOut.failOnceForPart.add(2L);
    try (PodHarness h = new PodHarness(testDb, fanOut)) {
      publish(h, 3);
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("split");
      Eventually.await(PATIENCE, "the instance fails", () -> h.instanceStatus(id).equals("ERROR"));
      Eventually.await(
          PATIENCE,
          "the healthy children finish",
          () -> h.tasksOf(id).stream().filter(t -> t.status() == TaskStatus.DONE).count() == 2);
      assertThat(h.tasksOf(id).getFirst().status())
          .as("the parent keeps waiting for its children")
          .isEqualTo(TaskStatus.WAITING);

      h.engine.instances().retry(id, "test");

      Eventually.await(
          PATIENCE,
          "the retried instance completes",
          () -> h.instanceStatus(id).equals("COMPLETED"));
      assertThat(h.tasksOf(id).getFirst().output().get("sum").asInt()).isEqualTo(6);
    }
  }

  @Test
  void cancellingWhileChildrenRunOnFourPodsNeverDeadlocksAndLeavesNothingRunning(
      TestDatabase testDb) throws Exception {
    try (PodHarness h = new PodHarness(testDb, new FanOut())) {
      publish(h, 12);
      for (int i = 1; i <= 4; i++) {
        h.startPod(
            PodConfig.defaults("c" + i).withSlots(2).withPollInterval(Duration.ofMillis(200)));
      }
      List<UUID> ids = IntStream.range(0, 12).mapToObj(i -> h.start("split")).toList();
      InstanceCommands commands = h.engine.instances();
      List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Thread> cancellers = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        UUID id = ids.get(i);
        long delay = 20L * i;
        cancellers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        Thread.sleep(delay);
                        commands.cancel(id, "test");
                      } catch (ProcessNotCancellableException e) {
                        // completed first: fine
                      } catch (Throwable e) {
                        unexpected.add(e);
                      }
                    }));
      }
      for (Thread t : cancellers) t.join();
      assertThat(unexpected).as("no cancel failed (a deadlock would show here)").isEmpty();

      Eventually.await(
          PATIENCE,
          "nothing of a cancelled instance runs on",
          () ->
              h.count(
                      "SELECT count(*) FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id"
                          + " WHERE i.status = 'CANCELLED'"
                          + " AND t.status NOT IN ('DONE', 'CANCELLED')")
                  == 0);
      for (UUID id : ids) {
        assertThat(h.instanceStatus(id)).isIn("CANCELLED", "COMPLETED");
        if (h.instanceStatus(id).equals("CANCELLED")) {
          assertThat(h.tasksOf(id).stream().filter(t -> t.activityId().equals("after")))
              .as("nothing follows a cancelled parent")
              .isEmpty();
        }
      }
    }
  }

  @Test
  void childTasksRunTheParentsActivityWithTheirOwnInput(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb, new FanOut())) {
      publish(h, 2);
      h.startPod(PodConfig.defaults("p1").withPollInterval(Duration.ofMillis(200)));
      UUID id = h.start("split", Definitions.input("topic", "x"));
      Eventually.await(
          PATIENCE, "the instance completes", () -> h.instanceStatus(id).equals("COMPLETED"));
      List<Task> children = h.tasksOf(id).stream().filter(t -> t.parentTaskId() != null).toList();
      assertThat(children).extracting(Task::activityId).containsOnly("plan");
      assertThat(children).extracting(Task::orchestrator).containsOnly("fan-out");
      assertThat(children).extracting(t -> t.input().get("part").asInt()).containsExactly(1, 2);
    }
  }
}
