package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.ProcessNotCancellableException;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancelling an instance stops the pod running its task within moments (NOTIFY podflow_cancel), and
 * the pod writes nothing for it afterwards.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class CancellationTest {

  @Test
  void aPodStopsRunningACancelledTaskWithinMomentsAndWritesNothingForIt(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb);
        Database pool = Database.connect(testDb.config().withPool(3, "pod-cancel-test"))) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("long", 60_000, 3));
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("quick", "noop"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      // One slot, and a 30 s lease: the first heartbeat comes after 10 s, so only the cancel
      // notice can free the slot within the 3 s this test allows.
      try (AgentPod pod =
          new AgentPod(
              PodConfig.defaults("busy"), pool, OrchestratorRegistry.discover(), registry)) {
        pod.start();
        UUID cancelled = h.start("long");
        Eventually.await(
            Duration.ofSeconds(10),
            "the pod runs the long task",
            () -> h.tasksOf(cancelled).getFirst().status() == TaskStatus.IN_PROGRESS);
        long taskId = h.tasksOf(cancelled).getFirst().id();
        UUID next = h.start("quick");
        Eventually.await(
            Duration.ofSeconds(5), "the slot counts as busy", () -> busySlots(registry) == 1);

        Instant cancelledAt = Instant.now();
        h.engine.instances().cancel(cancelled, "test");

        Eventually.await(
            Duration.ofSeconds(3),
            "the pod's only slot is free again and runs the next process",
            () -> busySlots(registry) == 0 && h.instanceStatus(next).equals("COMPLETED"));
        assertThat(Duration.between(cancelledAt, Instant.now())).isLessThan(Duration.ofSeconds(3));
        assertThat(registry.counter("podflow.tasks.cancelled").count()).isEqualTo(1);
        Counter lost = registry.find("podflow.leases.lost").counter();
        assertThat(lost == null ? 0 : lost.count()).as("a cancel is not a lost lease").isZero();

        pod.stop(); // would hand back a task it still ran
        Task task = h.tasksOf(cancelled).getFirst();
        assertThat(task.id()).isEqualTo(taskId);
        assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(task.output()).isNull();
        assertThat(task.attempts()).isEqualTo(1);
        assertThat(h.instanceStatus(cancelled)).isEqualTo("CANCELLED");
        assertThat(
                h.events.countAnyOf(
                    taskId,
                    "task_completed",
                    "task_released",
                    "task_failed",
                    "task_dead",
                    "task_lease_expired"))
            .as("nothing written for the cancelled task after the cancel")
            .isZero();
        assertThat(h.events.count("task_cancelled")).isEqualTo(1);
      }
    }
  }

  @Test
  void cancellingHalfOfTwoHundredProcessesWhileEightPodsWorkThem(TestDatabase testDb)
      throws Exception {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", twoNaps("naps", 200));
      List<UUID> instances =
          IntStream.range(0, 200).parallel().mapToObj(i -> h.start("naps")).toList();
      for (int i = 0; i < 8; i++) {
        h.startPod(PodConfig.defaults("pod-" + i).withSlots(i % 2 == 0 ? 1 : 2));
      }
      Set<UUID> picked = ConcurrentHashMap.newKeySet();
      Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
      Set<UUID> finishedFirst = ConcurrentHashMap.newKeySet();

      // Four operators cancel 25 processes each at random moments of the run's first part: each
      // cancel waits until the pods have completed a random number of tasks. Every other cancel
      // aims at a
      // process whose task a pod is running right then; the rest at any process, so cancels land
      // on queued, running, half-done and (sometimes) finished processes.
      ExecutorService operators = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new ArrayList<>();
      InstanceCommands commands = h.engine.instances();
      for (int op = 0; op < 4; op++) {
        running.add(
            operators.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  // Within the first 150 of the 400 completions: an operator that is slow to act
                  // (a loaded machine) still finds most of its targets unfinished.
                  int[] moments = random.ints(25, 0, 150).sorted().toArray();
                  for (int i = 0; i < 25; i++) {
                    int completions = moments[i];
                    Eventually.await(
                        Duration.ofMinutes(1),
                        completions + " tasks completed",
                        () -> h.events.count("task_completed") >= completions);
                    UUID id = i % 2 == 0 ? pickRunning(h, picked) : null;
                    while (id == null) {
                      UUID any = instances.get(random.nextInt(instances.size()));
                      if (picked.add(any)) id = any;
                    }
                    try {
                      commands.cancel(id, "test");
                      cancelled.add(id);
                    } catch (ProcessNotCancellableException e) {
                      finishedFirst.add(id);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) f.get();
      operators.shutdown();
      Eventually.await(
          Duration.ofMinutes(2),
          "every process finished",
          () ->
              h.count(
                      "SELECT count(*) FROM bpm_proc_inst WHERE status NOT IN ('COMPLETED', 'CANCELLED')")
                  == 0);
      h.close(); // every pod stopped: whatever a pod would still write has been written

      assertThat(picked).hasSize(100);
      assertThat(cancelled.size() + finishedFirst.size()).isEqualTo(100);
      assertThat(cancelled).as("most cancels land before the process ends").hasSizeGreaterThan(50);
      for (UUID id : instances) {
        assertThat(h.instanceStatus(id))
            .as("status of %s", id)
            .isEqualTo(cancelled.contains(id) ? "CANCELLED" : "COMPLETED");
      }
      assertThat(h.events.count("process_cancelled")).isEqualTo(cancelled.size());
      assertThat(
              h.events.payloads("task_cancelled").stream()
                  .filter(p -> p.path("previousStatus").asText().equals("IN_PROGRESS"))
                  .count())
          .as("cancels that stopped a running task")
          .isGreaterThan(10);
      assertThat(h.events.writtenAfter("process_cancelled"))
          .as("events of a cancelled process after its process_cancelled")
          .isZero();
      assertThat(
              h.count(
                  """
                  SELECT count(*)
                  FROM todolist t JOIN bpm_proc_inst p ON p.id = t.proc_inst_id
                  WHERE p.status = 'CANCELLED' AND t.status NOT IN ('DONE', 'CANCELLED')
                  """))
          .as("tasks of cancelled processes left other than done (before) or cancelled")
          .isZero();
      assertThat(
              h.count(
                  """
                  SELECT count(*)
                  FROM todolist t JOIN bpm_proc_inst p ON p.id = t.proc_inst_id
                  WHERE p.status = 'COMPLETED' AND t.status <> 'DONE'
                  """))
          .isZero();
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist t JOIN bpm_proc_inst p ON p.id = t.proc_inst_id"
                      + " WHERE p.status = 'COMPLETED'"))
          .as("each completed process ran both steps")
          .isEqualTo(2L * (200 - cancelled.size()));
      assertThat(h.events.tasksWithMoreThanOne("task_completed"))
          .as("tasks completed more than once")
          .isZero();
      assertThat(
              h.events.countAnyOf(
                  "task_released", "task_failed", "task_dead", "task_lease_expired"))
          .as("no cancelled task handed back, failed or rescued")
          .isZero();
    }
  }

  /** A process whose task a pod is running now and that nobody picked yet, or null. */
  private static UUID pickRunning(PodHarness h, Set<UUID> picked) {
    List<UUID> runningNow =
        h.db
            .jdbi()
            .withHandle(
                x ->
                    x.createQuery(
                            "SELECT proc_inst_id FROM todolist WHERE status = 'IN_PROGRESS'"
                                + " ORDER BY random()")
                        .mapTo(UUID.class)
                        .list());
    return runningNow.stream().filter(picked::add).findFirst().orElse(null);
  }

  /** Two {@code sleep} steps of {@code ms} each. */
  private static ObjectNode twoNaps(String id, long ms) {
    ObjectNode definition = Definitions.linear(id, "sleep", "sleep");
    definition
        .withArray("activities")
        .forEach(a -> ((ObjectNode) a).putObject("config").put("ms", ms));
    return definition;
  }

  private static double busySlots(SimpleMeterRegistry registry) {
    return registry.get("podflow.pod.slots.busy").gauge().value();
  }
}
