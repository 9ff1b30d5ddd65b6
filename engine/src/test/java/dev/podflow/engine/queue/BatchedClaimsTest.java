package dev.podflow.engine.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue's batched statements, driven by hand: {@code claim} takes many tasks in one statement,
 * most urgent first, each with its claimed event, and never hands a task to two claimers; {@code
 * renewLeases} renews a pod's claims at once and reports the ones taken away.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class BatchedClaimsTest {
  /** The ids of the due tasks in the order the claim must take them. */
  private static List<Long> dueInClaimOrder(EngineFixture f) {
    return f.db
        .jdbi()
        .withHandle(
            x ->
                x.createQuery(
                        "SELECT id FROM todolist WHERE status IN ('PENDING', 'FAILED')"
                            + " AND run_after <= now() ORDER BY priority, run_after, id")
                    .mapTo(Long.class)
                    .list());
  }

  // --- claim(podId, lease, limit) -------------------------------------------------------------

  @Test
  void aClaimTakesAtMostItsLimitMostUrgentFirstEachWithItsClaimedEvent(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    for (int priority : new int[] {50, 10, 30}) {
      f.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
                {"id":"p%d","activities":[{"id":"work","orchestrator":"noop","priority":%d}]}"""
                  .formatted(priority, priority)));
    }
    List<UUID> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(f.start("p50"));
      instances.add(f.start("p10"));
      instances.add(f.start("p30"));
    }
    // Ties on priority are broken by run_after, then id: two p10 tasks became due earlier than
    // the rest (as retried tasks would), and one p10 task is not due yet.
    List<Long> p10 =
        f.db
            .jdbi()
            .withHandle(
                x ->
                    x.createQuery("SELECT id FROM todolist WHERE priority = 10 ORDER BY id")
                        .mapTo(Long.class)
                        .list());
    assertThat(p10).hasSize(4);
    f.db
        .jdbi()
        .useHandle(
            x -> {
              x.execute(
                  "UPDATE todolist SET run_after = now() - interval '1 minute' WHERE id = ?",
                  p10.get(3));
              x.execute(
                  "UPDATE todolist SET run_after = now() - interval '2 minutes' WHERE id = ?",
                  p10.get(2));
              x.execute(
                  "UPDATE todolist SET run_after = now() + interval '1 hour' WHERE id = ?",
                  p10.get(0));
            });
    List<Long> expected = dueInClaimOrder(f);
    assertThat(expected).hasSize(11);
    assertThat(expected.subList(0, 3)).containsExactly(p10.get(2), p10.get(3), p10.get(1));

    List<ClaimedTask> first = f.claim("pod-a", 4);
    List<ClaimedTask> second = f.claim("pod-a", 4);
    List<ClaimedTask> rest = f.claim("pod-a", 10);
    List<ClaimedTask> none = f.claim("pod-a", 10);

    assertThat(first)
        .extracting(c -> c.task().id())
        .containsExactlyElementsOf(expected.subList(0, 4));
    assertThat(second)
        .extracting(c -> c.task().id())
        .containsExactlyElementsOf(expected.subList(4, 8));
    assertThat(rest)
        .as("fewer due than the limit: all of them")
        .extracting(c -> c.task().id())
        .containsExactlyElementsOf(expected.subList(8, 11));
    assertThat(none).isEmpty();
    assertThat(f.task(p10.get(0)).status())
        .as("a task not due yet is not claimed")
        .isEqualTo(TaskStatus.PENDING);

    List<ClaimedTask> all = new ArrayList<>(first);
    all.addAll(second);
    all.addAll(rest);
    assertThat(all)
        .extracting(c -> c.task().priority())
        .containsExactly(10, 10, 10, 30, 30, 30, 30, 50, 50, 50, 50);
    assertThat(all.stream().map(c -> c.task().claimToken()).distinct()).hasSize(11);
    for (ClaimedTask c : all) {
      Task t = c.task();
      assertThat(t.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(t.claimedBy()).isEqualTo("pod-a");
      assertThat(t.attempts()).isEqualTo(1);
      assertThat(t.claimToken()).isNotNull().isEqualTo(f.task(t.id()).claimToken());
      assertThat(t.leaseExpiresAt()).isAfter(t.startedAt().plusSeconds(25));
      assertThat(c.activity().id()).isEqualTo("work");
      assertThat(c.activity().priority()).isEqualTo(t.priority());
      assertThat(c.instance().id()).isEqualTo(t.procInstId());
      assertThat(instances).contains(c.instance().id());
      assertThat(f.events.count(t.id(), "task_claimed")).isEqualTo(1);
      JsonNode payload = f.events.payload(t.id(), "task_claimed");
      assertThat(payload.get("podId").asText()).isEqualTo("pod-a");
      assertThat(payload.get("attempt").asInt()).isEqualTo(1);
      assertThat(payload.get("activityId").asText()).isEqualTo("work");
    }
    assertThat(f.events.count("task_claimed")).isEqualTo(11);
  }

  @Test
  void aClaimTakesOneToTwoHundredFiftySixTasks(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
    f.start("one");
    assertThatThrownBy(() -> f.claim("pod-a", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.claim("pod-a", 257)).isInstanceOf(IllegalArgumentException.class);
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE status = 'PENDING'"))
        .isEqualTo(1);
    assertThat(f.claim("pod-a", 256)).hasSize(1);
  }

  @Test
  void concurrentBatchClaimsNeverHandOutATaskTwice(TestDatabase testDb) throws Exception {
    int tasks = 400;
    int claimers = 8;
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("many", "noop"));
    IntStream.range(0, tasks).parallel().forEach(i -> f.start("many"));
    Map<Long, String> claimedBy = new ConcurrentHashMap<>();
    List<Long> duplicates = new CopyOnWriteArrayList<>();
    CyclicBarrier together = new CyclicBarrier(claimers);
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int p = 0; p < claimers; p++) {
      String pod = "claimer-" + p;
      futures.add(
          pool.submit(
              () -> {
                together.await(10, TimeUnit.SECONDS);
                int batches = 0;
                while (true) {
                  int limit = ThreadLocalRandom.current().nextInt(1, 12);
                  List<ClaimedTask> batch = f.claim(pod, limit);
                  if (batch.isEmpty()) return batches;
                  assertThat(batch.size()).isLessThanOrEqualTo(limit);
                  batches++;
                  for (ClaimedTask c : batch) {
                    if (claimedBy.putIfAbsent(c.task().id(), pod) != null) {
                      duplicates.add(c.task().id());
                    }
                  }
                }
              }));
    }
    int batches = 0;
    for (Future<Integer> claimer : futures) batches += claimer.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    assertThat(duplicates).as("tasks handed to two claimers").isEmpty();
    assertThat(claimedBy).hasSize(tasks);
    assertThat(batches).as("claims took several tasks at a time").isLessThan(tasks);
    assertThat(new HashSet<>(claimedBy.values()))
        .as("every claimer got some of the work")
        .hasSizeGreaterThan(1);
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE status <> 'IN_PROGRESS'"))
        .isZero();
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE attempts <> 1")).isZero();
    assertThat(f.events.count("task_claimed")).isEqualTo(tasks);
    List<Map<String, Object>> rows =
        f.db
            .jdbi()
            .withHandle(
                x ->
                    x.createQuery(
                            "SELECT t.id, t.claimed_by, e.payload ->> 'podId' AS event_pod"
                                + " FROM todolist t JOIN events e"
                                + " ON e.task_id = t.id AND e.type = 'task_claimed'")
                        .mapToMap()
                        .list());
    assertThat(rows).hasSize(tasks);
    for (Map<String, Object> row : rows) {
      long id = ((Number) row.get("id")).longValue();
      assertThat(row.get("claimed_by")).as("task %d", id).isEqualTo(claimedBy.get(id));
      assertThat(row.get("event_pod")).as("task %d", id).isEqualTo(claimedBy.get(id));
    }
  }

  // --- renewLeases(List<Task>, lease) ---------------------------------------------------------

  @Test
  void renewingAPodsLeasesReportsOnlyTheClaimsTakenAway(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("one", "noop"));
    for (int i = 0; i < 5; i++) f.start("one");
    List<Task> claims = f.claim("pod-a", 5).stream().map(ClaimedTask::task).toList();
    assertThat(claims).hasSize(5);
    Task running1 = claims.get(0);
    Task running2 = claims.get(1);
    Task completed = claims.get(2);
    Task reclaimed = claims.get(3);
    Task rescuedOnly = claims.get(4);

    f.engine.completions().complete(completed, Json.object());
    ClaimedTask thief = f.rescueAndReclaim(reclaimed, "pod-b");
    f.expireLease(rescuedOnly.id());
    assertThat(f.engine.queue().rescueExpired(10).requeued()).isEqualTo(1);
    // The running claims are about to expire; the renewal must push them out again.
    f.db
        .jdbi()
        .useHandle(
            x ->
                x.execute(
                    "UPDATE todolist SET lease_expires_at = now() + interval '1 second' WHERE id IN (?, ?)",
                    running1.id(),
                    running2.id()));
    String thiefLease =
        f.testDb.text("SELECT lease_expires_at::text FROM todolist WHERE id = " + reclaimed.id());

    Set<Long> lost = f.engine.queue().renewLeases(claims, Duration.ofMinutes(10));

    assertThat(lost).containsExactlyInAnyOrder(reclaimed.id(), rescuedOnly.id());
    for (Task t : List.of(running1, running2)) {
      Task renewed = f.task(t.id());
      assertThat(renewed.leaseExpiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
      assertThat(renewed.heartbeatAt()).isAfterOrEqualTo(t.heartbeatAt());
    }
    assertThat(
            f.testDb.text(
                "SELECT lease_expires_at::text FROM todolist WHERE id = " + reclaimed.id()))
        .as("the other pod's lease is not ours to renew")
        .isEqualTo(thiefLease);
    assertThat(f.task(reclaimed.id()).claimToken()).isEqualTo(thief.task().claimToken());
    assertThat(f.task(completed.id()).status()).isEqualTo(TaskStatus.DONE);
    assertThat(f.task(completed.id()).leaseExpiresAt()).isNull();
    assertThat(f.task(rescuedOnly.id()).status()).isEqualTo(TaskStatus.PENDING);

    assertThat(f.engine.queue().renewLeases(List.of(running1, completed), EngineFixture.LEASE))
        .as("a claim its holder has completed counts as held")
        .isEmpty();
    assertThat(f.engine.queue().renewLeases(List.of(), EngineFixture.LEASE)).isEmpty();
  }
}
