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
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod's slots claim together ({@link Claimer}: for its free slots, never more) and hand their
 * completions to one thread that commits them in batches ({@link Completer}: everything handed over
 * is recorded before {@code stop()} returns; a claim lost meanwhile makes it stale).
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PodBatchingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** {@code gate}: records that a task started, then waits for a permit the test hands out. */
  static final class Gate implements Orchestrator {
    final List<Long> entered = new CopyOnWriteArrayList<>();
    final Semaphore permits = new Semaphore(0);

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public JsonNode run(TaskContext task) throws InterruptedException {
      long id = task.claimed().task().id();
      entered.add(id);
      permits.acquire();
      return Json.object().put("task", id);
    }

    /** Lets every task through from now on: nothing the test leaves behind stays blocked. */
    void openForGood() {
      permits.release(1_000_000);
    }
  }

  /**
   * {@code hold-row}: before it returns, locks its own task row in a transaction the test finishes,
   * so the completion it hands over waits in the completer until then.
   */
  static final class HoldRow implements Orchestrator {
    final AtomicReference<Handle> holding = new AtomicReference<>();
    private final TestDatabase testDb;

    HoldRow(TestDatabase testDb) {
      this.testDb = testDb;
    }

    @Override
    public String name() {
      return "hold-row";
    }

    @Override
    public JsonNode run(TaskContext task) {
      long id = task.claimed().task().id();
      Handle handle = testDb.database().jdbi().open();
      handle.begin();
      handle
          .createQuery("SELECT id FROM todolist WHERE id = :id FOR UPDATE")
          .bind("id", id)
          .mapTo(Long.class)
          .one();
      holding.set(handle);
      return Json.object().put("task", id);
    }

    /** Ends the lock's transaction if the test did not: a failed test must not leave it held. */
    void letGo() {
      Handle handle = holding.get();
      if (handle == null || handle.isClosed()) return;
      if (handle.isInTransaction()) handle.rollback();
      handle.close();
    }
  }

  private static PodConfig gated(String podId, int slots) {
    return PodConfig.defaults(podId)
        .withSlots(slots)
        // Only NOTIFY wakes an idle slot in time: the poll is far beyond every wait below.
        .withPollInterval(Duration.ofMinutes(10))
        .withShutdownGrace(Duration.ofMillis(300));
  }

  /** How many tasks have {@code status}. */
  private static long tasks(PodHarness h, String status) {
    return h.count("SELECT count(*) FROM todolist WHERE status = '" + status + "'");
  }

  /**
   * True when {@code idle} of the pod's slots sleep in their poll wait (not inside a claim) and its
   * LISTEN session has given its first wake-up, so no wake-up is on its way to them.
   */
  private static boolean slotsAsleep(PodHarness h, AgentPod pod, String podId, int idle) {
    double waiting = h.metrics.get("podflow.pod.slots.idle").tag("pod", podId).gauge().value();
    return pod.isListening() && waiting == idle;
  }

  private static void assertEachTaskRanExactlyOnce(PodHarness h, long tasks) {
    assertThat(tasks(h, "DONE")).isEqualTo(tasks);
    assertThat(h.count("SELECT count(*) FROM todolist WHERE attempts <> 1"))
        .as("tasks claimed more than once")
        .isZero();
    for (String type : new String[] {"task_claimed", "task_completed"}) {
      assertThat(h.events.tasksWithoutExactlyOne(type))
          .as("tasks without exactly one %s event", type)
          .isZero();
    }
    assertThat(h.events.claimsByAnotherPodThanTheHolder())
        .as("tasks completed by another pod than the one that claimed them")
        .isZero();
  }

  @Test
  void aPodNeverHoldsMoreClaimsThanItHasSlots(TestDatabase testDb) {
    Gate gate = new Gate();
    try (PodHarness h = new PodHarness(testDb, gate)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("gated", "gate"));
      List<UUID> instances = IntStream.range(0, 20).mapToObj(i -> h.start("gated")).toList();
      h.startPod(gated("four", 4));
      try {
        Eventually.await(PATIENCE, "four tasks running", () -> gate.entered.size() == 4);
        for (int check = 0; check < 10; check++) {
          assertThat(tasks(h, "IN_PROGRESS"))
              .as("claims of a pod whose 4 slots are busy")
              .isEqualTo(4);
          assertThat(h.events.count("task_claimed")).isEqualTo(4);
          assertThat(tasks(h, "PENDING")).isEqualTo(16);
        }
        // One task at a time finishes: the slot that ran it claims one more, never more.
        for (int k = 1; k <= 16; k++) {
          int finished = k;
          gate.permits.release();
          Eventually.await(
              PATIENCE,
              finished + " tasks done and the freed slot running the next",
              () -> gate.entered.size() == 4 + finished && tasks(h, "DONE") == finished);
          assertThat(tasks(h, "IN_PROGRESS")).as("after %d completions", k).isEqualTo(4);
          assertThat(h.events.count("task_claimed"))
              .as("claims after %d completions: one per task started, none waiting", k)
              .isEqualTo(4 + k);
          assertThat(
                  h.count(
                      "SELECT count(*) FROM todolist WHERE status = 'IN_PROGRESS' AND claimed_by <> 'four'"))
              .isZero();
        }
        gate.permits.release(4);
        Eventually.await(
            PATIENCE,
            "all 20 instances completed",
            () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 20);
        assertEachTaskRanExactlyOnce(h, 20);
        assertThat(Set.copyOf(gate.entered)).hasSize(20);
        assertThat(gate.entered).hasSize(20);
        assertThat(instances)
            .allSatisfy(id -> assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED"));
      } finally {
        gate.openForGood();
      }
    }
  }

  @Test
  void sixPodsOfFourSlotsDrainTwoThousandTasksEachExactlyOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("two-steps", "noop", "noop"));
      IntStream.range(0, 1000).parallel().forEach(i -> h.start("two-steps"));
      for (int i = 0; i < 6; i++) {
        h.startPod(PodConfig.defaults("multi-" + i).withSlots(4));
      }
      Eventually.await(
          Duration.ofMinutes(2),
          "1000 instances completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 1000);

      assertThat(h.count("SELECT count(*) FROM todolist")).isEqualTo(2000);
      assertEachTaskRanExactlyOnce(h, 2000);
      assertThat(h.events.count("process_completed")).isEqualTo(1000);
      assertThat(h.events.instancesWithMoreThanOne("process_completed")).isZero();
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist t2 JOIN todolist t1"
                      + " ON t1.proc_inst_id = t2.proc_inst_id AND t1.activity_id = 'a1'"
                      + " WHERE t2.activity_id = 'a2' AND t2.input IS DISTINCT FROM t1.output"))
          .as("second steps whose input is not the first step's output")
          .isZero();
      assertThat(h.metrics.counter("podflow.leases.lost").count()).isZero();
      assertThat(h.count("SELECT count(DISTINCT claimed_by) FROM todolist"))
          .as("work spread over the pods")
          .isGreaterThanOrEqualTo(4);
      // Rows written by one transaction share its xmin: several completions per commit.
      assertThat(h.events.transactionsWriting("task_completed"))
          .as("completions were committed in batches")
          .isLessThan(2000);
    }
  }

  @Test
  void aPodStoppedRightAfterManyFastTasksLeavesNoneOfItsClaimsBehind(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("quick", "noop"));
      for (int round = 0; round < 4; round++) {
        // Each round queues its own tasks: a pod overshoots its 200 before it stops, and three
        // fast rounds once drained a queue filled up front, leaving the fourth nothing to run.
        IntStream.range(0, 300).parallel().forEach(i -> h.start("quick"));
        String podId = "short-lived-" + round;
        long doneBefore = tasks(h, "DONE");
        AgentPod pod = h.startPod(PodConfig.defaults(podId).withSlots(4));
        Eventually.await(
            PATIENCE, podId + " ran 200 tasks", () -> tasks(h, "DONE") >= doneBefore + 200);
        pod.stop();

        assertThat(tasks(h, "IN_PROGRESS"))
            .as("tasks left claimed after %s stopped", podId)
            .isZero();
        assertThat(
                h.count(
                    "SELECT count(*) FROM todolist WHERE claimed_by = '"
                        + podId
                        + "' AND status NOT IN ('DONE', 'PENDING')"))
            .as("tasks %s claimed that are neither done nor handed back", podId)
            .isZero();
        assertThat(tasks(h, "DONE")).isEqualTo(h.events.count("task_completed"));
        assertThat(
                h.count(
                    "SELECT count(*) FROM todolist t JOIN bpm_proc_inst i ON i.id = t.proc_inst_id"
                        + " WHERE t.status = 'DONE' AND i.status <> 'COMPLETED'"))
            .as("instances whose only task is done but that did not complete")
            .isZero();
      }
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'PENDING' AND attempts > 0"))
          .as("pending tasks that burned an attempt")
          .isZero();
    }
  }

  @Test
  void stoppingAPodWaitsForTheCompletionsItHandedOver(TestDatabase testDb) throws Exception {
    HoldRow hold = new HoldRow(testDb);
    try (PodHarness h = new PodHarness(testDb, hold)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("held", "hold-row", "noop"));
      UUID id = h.start("held");
      AgentPod pod = h.startPod(gated("stopping", 2));
      try {
        stopWhileTheCompletionWaits(h, hold, pod, id);
      } finally {
        hold.letGo();
      }
    }
  }

  private static void stopWhileTheCompletionWaits(PodHarness h, HoldRow hold, AgentPod pod, UUID id)
      throws InterruptedException {
    Eventually.await(
        PATIENCE,
        "the completion waiting for the task's row",
        () -> hold.holding.get() != null && completionsWaitingForALock(h) == 1);
    long taskId = h.tasksOf(id).getFirst().id();

    Thread stopper = Thread.ofPlatform().name("test-stopper").start(pod::stop);
    // The slots are idle and have stopped; the completer still has the task, and stop() waits.
    Eventually.await(
        PATIENCE,
        "stop() waiting for the completer",
        () -> pod.isRecordingLastCompletions() || !stopper.isAlive());
    assertThat(stopper.isAlive()).as("stop() returned before the completion was recorded").isTrue();
    assertThat(h.tasksOf(id).getFirst().status()).isEqualTo(TaskStatus.IN_PROGRESS);

    try (Handle held = hold.holding.get()) {
      held.commit();
    }
    stopper.join(PATIENCE);
    assertThat(stopper.isAlive()).isFalse();

    assertThat(h.tasksOf(id).getFirst().status()).isEqualTo(TaskStatus.DONE);
    assertThat(h.events.count(taskId, "task_completed")).isEqualTo(1);
    assertThat(h.tasksOf(id)).extracting(Task::activityId).containsExactly("a1", "a2");
  }

  @Test
  void aClaimLostWhileItsCompletionWaitsToBeRecordedIsRefused(TestDatabase testDb) {
    HoldRow hold = new HoldRow(testDb);
    try (PodHarness h = new PodHarness(testDb, hold)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("held", "hold-row", "noop"));
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("later", "noop"));
      UUID id = h.start("held");
      AgentPod pod = h.startPod(gated("loser", 2));
      try {
        loseTheClaimWhileTheCompletionWaits(h, hold, pod, id);
      } finally {
        hold.letGo();
      }
    }
  }

  private static void loseTheClaimWhileTheCompletionWaits(
      PodHarness h, HoldRow hold, AgentPod pod, UUID id) {
    Eventually.await(
        PATIENCE,
        "the completion waiting for the task's row",
        () -> hold.holding.get() != null && completionsWaitingForALock(h) == 1);
    long taskId = h.tasksOf(id).getFirst().id();

    // Meanwhile the lease ran out and another pod claimed the task again (as rescuer and claim
    // would, written here under the row lock the completion waits for).
    try (Handle held = hold.holding.get()) {
      held.createUpdate(
              "UPDATE todolist SET claimed_by = 'thief', claim_token = gen_random_uuid(),"
                  + " attempts = attempts + 1, lease_expires_at = now() + interval '1 minute'"
                  + " WHERE id = :id")
          .bind("id", taskId)
          .execute();
      held.commit();
    }

    Eventually.await(
        PATIENCE,
        "the completion recorded as stale",
        () -> {
          Timer stale = h.metrics.find("podflow.task.run").tag("outcome", "stale").timer();
          return stale != null && stale.count() == 1;
        });
    Task task = h.tasksOf(id).getFirst();
    assertThat(task.status()).isEqualTo(TaskStatus.IN_PROGRESS);
    assertThat(task.claimedBy()).isEqualTo("thief");
    assertThat(task.output()).isNull();
    assertThat(h.events.count("task_completed")).isZero();
    assertThat(h.tasksOf(id)).as("nothing follows a refused completion").hasSize(1);
    assertThat(h.instanceStatus(id)).isEqualTo("RUNNING");
    assertThat(pod.heartbeatOnce()).as("the refused claim is no longer renewed").isZero();

    UUID later = h.start("later");
    Eventually.await(
        PATIENCE, "the pod goes on working", () -> h.instanceStatus(later).equals("COMPLETED"));
  }

  /** Sessions of this database running the completion statement, waiting for a row lock. */
  private static long completionsWaitingForALock(PodHarness h) {
    return h.count(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND wait_event_type = 'Lock' AND query LIKE '%status = ''DONE''%'");
  }

  @Test
  void tasksClaimedForIdleSlotsStartWithoutWaitingForThePoll(TestDatabase testDb) {
    Gate gate = new Gate();
    try (PodHarness h = new PodHarness(testDb, gate)) {
      List<Long> ids = claimForSleepingSlots(h, gate, "eager").claimed();
      try {
        Eventually.await(
            Duration.ofSeconds(5),
            "the tasks the pod claimed for its idle slots to start (claimed: "
                + ids
                + "; started when the wait began: "
                + gate.entered
                + ")",
            () -> gate.entered.containsAll(ids));
      } finally {
        gate.openForGood();
      }
    }
  }

  @Test
  void aStoppedPodLeavesNoTaskItClaimedInProgress(TestDatabase testDb) {
    Gate gate = new Gate();
    try (PodHarness h = new PodHarness(testDb, gate)) {
      SleepingSlots scenario = claimForSleepingSlots(h, gate, "leaving");
      List<Long> ids = scenario.claimed();
      try {
        scenario.pod().stop();
        assertThat(
                h.count(
                    "SELECT count(*) FROM todolist WHERE status = 'IN_PROGRESS' AND claimed_by = 'leaving'"))
            .as("tasks %s still claimed by the stopped pod: no heartbeat renews them any more", ids)
            .isZero();
        assertThat(
                h.count("SELECT count(*) FROM todolist WHERE status = 'PENDING' AND attempts > 0"))
            .as("tasks handed back with an attempt burned")
            .isZero();
      } finally {
        gate.openForGood();
      }
    }
  }

  /** A pod and the tasks it claimed while three of its slots slept. */
  private record SleepingSlots(AgentPod pod, List<Long> claimed) {}

  /**
   * A pod of 4 slots runs one gated task while its other 3 slots sleep in their poll wait; then 3
   * gated tasks become due without a NOTIFY (as retries do when their backoff ends) and the first
   * task finishes. Its slot claims for its free slots: all 3.
   */
  private static SleepingSlots claimForSleepingSlots(PodHarness h, Gate gate, String podId) {
    h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("gated", "gate"));
    IntStream.range(0, 4).forEach(i -> h.start("gated"));
    List<Long> all =
        h.db
            .jdbi()
            .withHandle(
                x -> x.createQuery("SELECT id FROM todolist ORDER BY id").mapTo(Long.class).list());
    long first = all.getFirst();
    List<Long> later = all.subList(1, 4);
    h.db
        .jdbi()
        .useHandle(
            x ->
                x.execute(
                    "UPDATE todolist SET run_after = now() + interval '1 hour' WHERE id <> ?",
                    first));
    AgentPod pod = h.startPod(gated(podId, 4));
    Eventually.await(PATIENCE, "the first task running", () -> gate.entered.equals(List.of(first)));
    Eventually.await(PATIENCE, "the other three slots asleep", () -> slotsAsleep(h, pod, podId, 3));

    h.db
        .jdbi()
        .useHandle(x -> x.execute("UPDATE todolist SET run_after = now() WHERE id <> ?", first));
    gate.permits.release();
    Eventually.await(
        PATIENCE,
        "the first task done and the next three claimed by " + podId,
        () ->
            tasks(h, "DONE") == 1
                && h.count(
                        "SELECT count(*) FROM todolist WHERE status = 'IN_PROGRESS' AND claimed_by = '"
                            + podId
                            + "'")
                    == 3
                && gate.entered.size() >= 2);
    return new SleepingSlots(pod, later);
  }
}
