package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.queue.RescueResult;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leases expire, rescuers return the work, and a pod that lost its claim can write nothing. */
@ExtendWith(PodflowDatabaseExtension.class)
class LeaseAndFencingTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Test
  void lateCompletionWithStaleClaimTokenIsRefused(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
      UUID instance = h.start("one");
      ClaimedTask first =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
      h.expireLease(first.task().id());
      RescueResult rescued = h.engine.queue().rescueExpired(10);
      assertThat(rescued.requeued()).isEqualTo(1);
      ClaimedTask second =
          h.engine.queue().claim("pod-b", LEASE, 1).stream().findFirst().orElseThrow();
      assertThat(second.task().id()).isEqualTo(first.task().id());
      assertThat(second.task().claimToken()).isNotEqualTo(first.task().claimToken());

      assertThatThrownBy(
              () -> h.engine.completions().complete(first.task(), Json.object().put("from", "a")))
          .isInstanceOf(StaleClaimException.class)
          .hasMessageContaining("pod-a");
      assertThatThrownBy(
              () -> h.engine.failures().fail(first.task(), "late failure", true, Backoff.DEFAULT))
          .isInstanceOf(StaleClaimException.class);
      assertThat(h.engine.queue().renewLeases(List.of(first.task()), LEASE).isEmpty()).isFalse();
      Task unchanged = h.tasksOf(instance).getFirst();
      assertThat(unchanged.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(unchanged.claimedBy()).isEqualTo("pod-b");

      h.engine.completions().complete(second.task(), Json.object().put("from", "b"));
      Task done = h.tasksOf(instance).getFirst();
      assertThat(done.status()).isEqualTo(TaskStatus.DONE);
      assertThat(done.output().get("from").asText()).isEqualTo("b");
      assertThat(done.attempts()).isEqualTo(2);
      assertThat(h.instanceStatus(instance)).isEqualTo("COMPLETED");
      assertThat(h.events.count("task_completed")).isEqualTo(1);
    }
  }

  @Test
  void heartbeatRacingItsOwnCompletionDoesNotReportTheClaimLost(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
      h.start("one");
      ClaimedTask claimed =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
      h.engine.completions().complete(claimed.task(), Json.object());
      // The heartbeat fired while the slot committed; it finds the task DONE under our token.
      assertThat(h.engine.queue().renewLeases(List.of(claimed.task()), LEASE).isEmpty()).isTrue();
      assertThat(h.tasksOf(claimed.task().procInstId()).getFirst().status())
          .isEqualTo(TaskStatus.DONE);
    }
  }

  @Test
  void heartbeatSkipsARowAnotherTransactionHoldsInsteadOfWaitingForIt(TestDatabase testDb)
      throws Exception {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
      h.start("one");
      h.start("one");
      List<Task> claims =
          h.engine.queue().claim("pod-a", LEASE, 2).stream().map(ClaimedTask::task).toList();
      assertThat(claims).hasSize(2);
      Task held = claims.get(1);
      // Another transaction (the pod's completion, say) holds one of the rows. A heartbeat that
      // waited for it while holding the other could deadlock with a transaction that locks them
      // the other way round; it must renew what it can and leave that row alone.
      try (Handle other = h.db.jdbi().open()) {
        other.begin();
        other.execute("SELECT id FROM todolist WHERE id = ? FOR UPDATE", held.id());
        CompletableFuture<Set<Long>> heartbeat =
            CompletableFuture.supplyAsync(
                () -> h.engine.queue().renewLeases(claims, Duration.ofMinutes(10)));
        assertThat(heartbeat.get(5, TimeUnit.SECONDS))
            .as("nothing lost: the held row is still this pod's claim")
            .isEmpty();
        other.rollback();
      }
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist WHERE id = "
                      + claims.get(0).id()
                      + " AND lease_expires_at > now() + interval '5 minutes'"))
          .as("the free row's lease was extended")
          .isEqualTo(1);
      assertThat(
              h.count(
                  "SELECT count(*) FROM todolist WHERE id = "
                      + held.id()
                      + " AND lease_expires_at > now() + interval '5 minutes'"))
          .as("the held row was skipped, not waited for")
          .isZero();
    }
  }

  @Test
  void taskOfAPodThatStoppedHeartbeatingIsFinishedByAnotherPod(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("nap", 50, 3));
      UUID instance = h.start("nap");
      // A pod claims the task and dies: no heartbeat, no completion. Its 1 s lease runs out.
      ClaimedTask dead =
          h.engine.queue().claim("dead-pod", Duration.ofSeconds(1), 1).stream()
              .findFirst()
              .orElseThrow();
      h.startPod(PodConfig.defaults("survivor").withRescueInterval(Duration.ofMillis(200)));
      Eventually.await(
          Duration.ofSeconds(20),
          "the survivor finishes the dead pod's task",
          () -> h.instanceStatus(instance).equals("COMPLETED"));
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.id()).isEqualTo(dead.task().id());
      assertThat(task.claimedBy()).isEqualTo("survivor");
      assertThat(task.attempts()).isEqualTo(2);
      assertThat(h.events.count("task_lease_expired")).isEqualTo(1);
      assertThat(h.events.count("task_completed")).isEqualTo(1);
    }
  }

  @Test
  void podThatLosesItsLeaseAbandonsTheTaskAndCannotOverwriteTheNewAttempt(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("long", 60_000, 3));
      UUID instance = h.start("long");
      AgentPod slow =
          h.startPod(
              PodConfig.defaults("slow")
                  .withRescueInterval(Duration.ofHours(1))
                  // Heartbeats only when the test asks: no scheduled one may free the slot early.
                  .withLease(Duration.ofMinutes(10)));
      Eventually.await(
          Duration.ofSeconds(10),
          "slow pod claims the task",
          () -> h.tasksOf(instance).getFirst().status() == TaskStatus.IN_PROGRESS);
      long taskId = h.tasksOf(instance).getFirst().id();
      h.expireLease(taskId);
      assertThat(h.engine.queue().rescueExpired(10).requeued()).isEqualTo(1);
      ClaimedTask retry =
          h.engine.queue().claim("other", LEASE, 1).stream().findFirst().orElseThrow();
      // The slow pod's next heartbeat finds its claim gone and interrupts its sleeping slot.
      assertThat(slow.heartbeatOnce()).isEqualTo(1);
      h.engine.completions().complete(retry.task(), Json.object().put("by", "other"));
      assertThat(h.instanceStatus(instance)).isEqualTo("COMPLETED");
      Task task = h.tasksOf(instance).getFirst();
      assertThat(task.claimedBy()).isEqualTo("other");
      assertThat(task.output().get("by").asText()).isEqualTo("other");
      assertThat(h.events.count("task_completed")).isEqualTo(1);
      assertThat(h.events.count("task_released")).as("a lost claim is not handed back").isZero();
    }
  }

  @Test
  void expiredLeaseWithNoAttemptsLeftGoesDeadAndFailsTheInstance(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      testDb
          .database()
          .jdbi()
          .useHandle(
              db ->
                  db.execute(
                      "INSERT INTO users (tenant_id, id, roles) VALUES ('default', 'olga',"
                          + " '{operator}')"));
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("once", 10, 1));
      UUID instance = h.start("once");
      ClaimedTask claimed =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
      h.expireLease(claimed.task().id());
      RescueResult rescued = h.engine.queue().rescueExpired(10);
      assertThat(rescued.dead()).isEqualTo(1);
      assertThat(h.tasksOf(instance).getFirst().status()).isEqualTo(TaskStatus.DEAD);
      assertThat(h.instanceStatus(instance)).isEqualTo("ERROR");
      assertThat(h.events.count("process_failed")).isEqualTo(1);
      assertThat(
              h.count(
                  "SELECT count(*) FROM notifications WHERE type = 'process_error'"
                      + " AND recipient = 'olga'"))
          .isEqualTo(1);
    }
  }

  @Test
  void concurrentRescuersActOnceAndClaimersNeverShareATask(TestDatabase testDb) throws Exception {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("many", "noop"));
      for (int i = 0; i < 300; i++) h.start("many");
      for (int i = 0; i < 300; i++)
        h.engine.queue().claim("ghost", Duration.ofSeconds(1), 1).stream()
            .findFirst()
            .orElseThrow();
      h.db
          .jdbi()
          .useHandle(
              x -> x.execute("UPDATE todolist SET lease_expires_at = now() - interval '1 second'"));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      var results = new java.util.concurrent.ConcurrentLinkedQueue<RescueResult>();
      var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int i = 0; i < 8; i++) {
        futures.add(
            pool.submit(
                () -> {
                  RescueResult r;
                  do {
                    r = h.engine.queue().rescueExpired(25);
                    results.add(r);
                  } while (r.skipped() || r.total() > 0);
                }));
      }
      for (var f : futures) f.get();
      pool.shutdown();
      assertThat(results.stream().mapToInt(RescueResult::requeued).sum())
          .as("each expired task rescued exactly once")
          .isEqualTo(300);
      assertThat(h.events.count("task_lease_expired")).isEqualTo(300);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'PENDING'")).isEqualTo(300);
    }
  }
}
