package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.navigation.Completion;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * The batched transitions of the hot path, driven by hand: {@code claim} takes many tasks in one
 * statement, {@code completeAll} records many completions in one transaction (fenced one by one, an
 * instance's completions followed together), {@code renewLeases} renews a pod's claims at once.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class BatchedTransitionsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static Task task(PodHarness h, long id) {
    return h.db.jdbi().withHandle(x -> x.attach(TaskDao.class).taskGet(id)).orElseThrow();
  }

  private static List<Task> of(PodHarness h, UUID instance, String activity) {
    return h.tasksOf(instance).stream().filter(t -> t.activityId().equals(activity)).toList();
  }

  private static long events(PodHarness h, String type, long taskId) {
    return h.count(
        "SELECT count(*) FROM events WHERE type = '" + type + "' AND task_id = " + taskId);
  }

  private static long instanceEvents(PodHarness h, String type, UUID instance) {
    return h.count(
        "SELECT count(*) FROM events WHERE type = '"
            + type
            + "' AND proc_inst_id = '"
            + instance
            + "'");
  }

  private static JsonNode eventPayload(PodHarness h, String type, long taskId) {
    return Json.parse(
        h.text(
            "SELECT payload::text FROM events WHERE type = '"
                + type
                + "' AND task_id = "
                + taskId));
  }

  /** The ids of the due tasks in the order the claim must take them. */
  private static List<Long> dueInClaimOrder(PodHarness h) {
    return h.db
        .jdbi()
        .withHandle(
            x ->
                x.createQuery(
                        "SELECT id FROM todolist WHERE status IN ('PENDING', 'FAILED')"
                            + " AND run_after <= now() ORDER BY priority, run_after, id")
                    .mapTo(Long.class)
                    .list());
  }

  /** Expires the claim, has the rescuer return the task and {@code thief} claim it again. */
  private static ClaimedTask rescueAndReclaim(PodHarness h, Task claim, String thief) {
    h.expireLease(claim.id());
    assertThat(h.engine.queue().rescueExpired(10).requeued()).isEqualTo(1);
    ClaimedTask again = h.engine.queue().claim(thief, LEASE, 1).stream().findFirst().orElseThrow();
    assertThat(again.task().id()).as("only the rescued task was due").isEqualTo(claim.id());
    return again;
  }

  private static List<Completion> completions(List<ClaimedTask> claimed) {
    return claimed.stream()
        .map(c -> new Completion(c.task(), Json.object().put("by", c.task().activityId())))
        .toList();
  }

  // --- claim(podId, lease, limit) -------------------------------------------------------------

  @Test
  void aClaimTakesAtMostItsLimitMostUrgentFirstEachWithItsClaimedEvent(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      for (int priority : new int[] {50, 10, 30}) {
        h.catalog.publish(
            Json.parse(
                """
                {"id":"p%d","activities":[{"id":"work","orchestrator":"noop","priority":%d}]}"""
                    .formatted(priority, priority)));
      }
      List<UUID> instances = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        instances.add(h.start("p50"));
        instances.add(h.start("p10"));
        instances.add(h.start("p30"));
      }
      // Ties on priority are broken by run_after, then id: two p10 tasks became due earlier than
      // the rest (as retried tasks would), and one p10 task is not due yet.
      List<Long> p10 =
          h.db
              .jdbi()
              .withHandle(
                  x ->
                      x.createQuery("SELECT id FROM todolist WHERE priority = 10 ORDER BY id")
                          .mapTo(Long.class)
                          .list());
      assertThat(p10).hasSize(4);
      h.db
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
      List<Long> expected = dueInClaimOrder(h);
      assertThat(expected).hasSize(11);
      assertThat(expected.subList(0, 3)).containsExactly(p10.get(2), p10.get(3), p10.get(1));

      List<ClaimedTask> first = h.engine.queue().claim("pod-a", LEASE, 4);
      List<ClaimedTask> second = h.engine.queue().claim("pod-a", LEASE, 4);
      List<ClaimedTask> rest = h.engine.queue().claim("pod-a", LEASE, 10);
      List<ClaimedTask> none = h.engine.queue().claim("pod-a", LEASE, 10);

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
      assertThat(task(h, p10.get(0)).status())
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
        assertThat(t.claimToken()).isNotNull().isEqualTo(task(h, t.id()).claimToken());
        assertThat(t.leaseExpiresAt()).isAfter(t.startedAt().plusSeconds(25));
        assertThat(c.activity().id()).isEqualTo("work");
        assertThat(c.activity().priority()).isEqualTo(t.priority());
        assertThat(c.instance().id()).isEqualTo(t.procInstId());
        assertThat(instances).contains(c.instance().id());
        assertThat(events(h, "task_claimed", t.id())).isEqualTo(1);
        JsonNode payload = eventPayload(h, "task_claimed", t.id());
        assertThat(payload.get("podId").asText()).isEqualTo("pod-a");
        assertThat(payload.get("attempt").asInt()).isEqualTo(1);
        assertThat(payload.get("activityId").asText()).isEqualTo("work");
      }
      assertThat(h.count("SELECT count(*) FROM events WHERE type = 'task_claimed'")).isEqualTo(11);
    }
  }

  @Test
  void aClaimTakesOneToTwoHundredFiftySixTasks(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("one", "noop"));
      h.start("one");
      assertThatThrownBy(() -> h.engine.queue().claim("pod-a", LEASE, 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> h.engine.queue().claim("pod-a", LEASE, 257))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'PENDING'")).isEqualTo(1);
      assertThat(h.engine.queue().claim("pod-a", LEASE, 256)).hasSize(1);
    }
  }

  @Test
  void concurrentBatchClaimsNeverHandOutATaskTwice(TestDatabase testDb) throws Exception {
    int tasks = 400;
    int claimers = 8;
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("many", "noop"));
      IntStream.range(0, tasks).parallel().forEach(i -> h.start("many"));
      Map<Long, String> claimedBy = new ConcurrentHashMap<>();
      List<Long> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
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
                    List<ClaimedTask> batch = h.engine.queue().claim(pod, LEASE, limit);
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
      for (Future<Integer> f : futures) batches += f.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      assertThat(duplicates).as("tasks handed to two claimers").isEmpty();
      assertThat(claimedBy).hasSize(tasks);
      assertThat(batches).as("claims took several tasks at a time").isLessThan(tasks);
      assertThat(new HashSet<>(claimedBy.values()))
          .as("every claimer got some of the work")
          .hasSizeGreaterThan(1);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status <> 'IN_PROGRESS'")).isZero();
      assertThat(h.count("SELECT count(*) FROM todolist WHERE attempts <> 1")).isZero();
      assertThat(h.count("SELECT count(*) FROM events WHERE type = 'task_claimed'"))
          .isEqualTo(tasks);
      List<Map<String, Object>> rows =
          h.db
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
  }

  // --- completeAll(List<Completion>) ----------------------------------------------------------

  @Test
  void aStaleCompletionInABatchIsRefusedAloneAndTheOthersGoAhead(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("two", "noop", "noop"));
      for (int i = 0; i < 3; i++) h.start("two");
      List<ClaimedTask> claimed = h.engine.queue().claim("pod-a", LEASE, 3);
      assertThat(claimed).hasSize(3);
      ClaimedTask stale = claimed.get(1);
      ClaimedTask reclaimed = rescueAndReclaim(h, stale.task(), "pod-b");

      List<TaskOutcome> outcomes =
          h.engine
              .completions()
              .completeAll(
                  List.of(
                      new Completion(claimed.get(0).task(), Json.object().put("k", 0)),
                      new Completion(stale.task(), Json.object().put("k", 1)),
                      new Completion(claimed.get(2).task(), Json.object().put("k", 2))));

      assertThat(outcomes)
          .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.STALE, TaskOutcome.COMPLETED);
      // Nothing of the stale one: still pod-b's, no event, no successor, instance untouched.
      Task stillClaimed = task(h, stale.task().id());
      assertThat(stillClaimed.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(stillClaimed.claimedBy()).isEqualTo("pod-b");
      assertThat(stillClaimed.claimToken()).isEqualTo(reclaimed.task().claimToken());
      assertThat(stillClaimed.output()).isNull();
      assertThat(events(h, "task_completed", stale.task().id())).isZero();
      assertThat(of(h, stale.task().procInstId(), "a2")).isEmpty();
      assertThat(h.instanceStatus(stale.task().procInstId())).isEqualTo("RUNNING");
      // The others: DONE with their event and their successor queued with the output as input.
      for (int k : new int[] {0, 2}) {
        Task done = task(h, claimed.get(k).task().id());
        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(done.output()).isEqualTo(Json.object().put("k", k));
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.leaseExpiresAt()).isNull();
        assertThat(events(h, "task_completed", done.id())).isEqualTo(1);
        JsonNode payload = eventPayload(h, "task_completed", done.id());
        assertThat(payload.get("activityId").asText()).isEqualTo("a1");
        assertThat(payload.get("attempt").asInt()).isEqualTo(1);
        assertThat(payload.get("output")).isEqualTo(Json.object().put("k", k));
        List<Task> next = of(h, done.procInstId(), "a2");
        assertThat(next).hasSize(1);
        assertThat(next.getFirst().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(next.getFirst().input()).isEqualTo(Json.object().put("k", k));
        assertThat(events(h, "task_queued", next.getFirst().id())).isEqualTo(1);
        assertThat(h.instanceStatus(done.procInstId())).isEqualTo("RUNNING");
      }

      // The new holder completes it as usual.
      assertThat(
              h.engine
                  .completions()
                  .completeAll(List.of(new Completion(reclaimed.task(), Json.object()))))
          .containsExactly(TaskOutcome.COMPLETED);
      assertThat(events(h, "task_completed", stale.task().id())).isEqualTo(1);
      assertThat(of(h, stale.task().procInstId(), "a2")).hasSize(1);
    }
  }

  @Test
  void aBatchOfOnlyStaleCompletionsWritesNothing(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("one", "noop"));
      UUID instance = h.start("one");
      Task first =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task();
      ClaimedTask second = rescueAndReclaim(h, first, "pod-b");
      long eventsBefore = h.count("SELECT count(*) FROM events");

      assertThat(h.engine.completions().completeAll(List.of(new Completion(first, Json.object()))))
          .containsExactly(TaskOutcome.STALE);
      assertThat(h.engine.completions().completeAll(List.of())).isEmpty();

      assertThat(h.count("SELECT count(*) FROM events")).isEqualTo(eventsBefore);
      assertThat(task(h, first.id()).claimToken()).isEqualTo(second.task().claimToken());
      assertThat(h.instanceStatus(instance)).isEqualTo("RUNNING");
    }
  }

  @Test
  void twoBranchesCompletedInOneBatchArriveAtTheirJoinAndReleaseItOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          Json.parse(
              """
              {"id":"split","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b"]},
                {"id":"a","orchestrator":"noop","next":["join"]},
                {"id":"b","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
      // Both orders in which a batch can list the two branches.
      for (boolean reversed : new boolean[] {false, true}) {
        UUID id = h.start("split", Json.object().put("reversed", reversed));
        h.engine
            .completions()
            .complete(
                h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task(),
                Json.object());
        List<ClaimedTask> branches = new ArrayList<>(h.engine.queue().claim("pod-a", LEASE, 2));
        assertThat(branches)
            .extracting(c -> c.task().activityId())
            .containsExactlyInAnyOrder("a", "b");
        if (reversed) java.util.Collections.reverse(branches);

        assertThat(h.engine.completions().completeAll(completions(branches)))
            .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

        List<Task> joins = of(h, id, "join");
        assertThat(joins).as("one join task").hasSize(1);
        Task join = joins.getFirst();
        assertThat(join.status())
            .as("released: no branch is left to wait for")
            .isEqualTo(TaskStatus.PENDING);
        assertThat(join.input().properties()).hasSize(2);
        assertThat(join.input().get("a")).isEqualTo(Json.object().put("by", "a"));
        assertThat(join.input().get("b")).isEqualTo(Json.object().put("by", "b"));
        assertThat(events(h, "join_arrived", join.id())).isEqualTo(2);
        assertThat(events(h, "task_queued", join.id())).as("released exactly once").isEqualTo(1);
        assertThat(h.instanceStatus(id)).isEqualTo("RUNNING");

        ClaimedTask joined =
            h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
        assertThat(joined.task().id()).isEqualTo(join.id());
        h.engine.completions().complete(joined.task(), Json.object());
        assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED");
        assertThat(instanceEvents(h, "process_completed", id)).isEqualTo(1);
      }
    }
  }

  @Test
  void twoOfThreeBranchesInOneBatchDoNotReleaseTheJoinBeforeTheThird(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          Json.parse(
              """
              {"id":"split3","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b","c"]},
                {"id":"a","orchestrator":"noop","next":["join"]},
                {"id":"b","orchestrator":"noop","next":["join"]},
                {"id":"c","orchestrator":"noop","next":["join"]},
                {"id":"join","orchestrator":"noop","join":"all"}]}"""));
      UUID id = h.start("split3");
      h.engine
          .completions()
          .complete(
              h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task(),
              Json.object());
      List<ClaimedTask> branches = h.engine.queue().claim("pod-a", LEASE, 3);
      ClaimedTask c =
          branches.stream()
              .filter(t -> t.task().activityId().equals("c"))
              .findFirst()
              .orElseThrow();
      List<ClaimedTask> ab = branches.stream().filter(t -> t != c).toList();

      assertThat(h.engine.completions().completeAll(completions(ab)))
          .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);
      Task join = of(h, id, "join").getFirst();
      assertThat(join.status()).isEqualTo(TaskStatus.WAITING);
      assertThat(join.waitingFor()).isEqualTo(WaitingFor.JOIN);
      assertThat(join.input().properties())
          .extracting(Map.Entry::getKey)
          .containsExactlyInAnyOrder("a", "b");
      assertThat(events(h, "task_queued", join.id())).isZero();

      h.engine.completions().complete(c.task(), Json.object().put("by", "c"));
      Task released = of(h, id, "join").getFirst();
      assertThat(of(h, id, "join")).hasSize(1);
      assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(released.input().properties())
          .extracting(Map.Entry::getKey)
          .containsExactlyInAnyOrder("a", "b", "c");
      assertThat(events(h, "task_queued", join.id())).isEqualTo(1);
    }
  }

  @Test
  void aBranchThatEndsInTheSameBatchAsOneThatGoesOnDoesNotCompleteTheInstance(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          Json.parse(
              """
              {"id":"uneven","activities":[
                {"id":"start","orchestrator":"noop","next":["ends","goes"]},
                {"id":"ends","orchestrator":"noop","next":[]},
                {"id":"goes","orchestrator":"noop","next":["after"]},
                {"id":"after","orchestrator":"noop","next":[]}]}"""));
      for (boolean reversed : new boolean[] {false, true}) {
        UUID id = h.start("uneven");
        h.engine
            .completions()
            .complete(
                h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task(),
                Json.object());
        List<ClaimedTask> branches = new ArrayList<>(h.engine.queue().claim("pod-a", LEASE, 2));
        if (reversed) java.util.Collections.reverse(branches);

        assertThat(h.engine.completions().completeAll(completions(branches)))
            .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

        assertThat(h.instanceStatus(id)).as("'after' is still to run").isEqualTo("RUNNING");
        assertThat(instanceEvents(h, "process_completed", id)).isZero();
        List<Task> after = of(h, id, "after");
        assertThat(after).hasSize(1);
        assertThat(after.getFirst().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(after.getFirst().input()).isEqualTo(Json.object().put("by", "goes"));

        h.engine
            .completions()
            .complete(
                h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task(),
                Json.object().put("last", true));
        assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED");
        assertThat(instanceEvents(h, "process_completed", id)).isEqualTo(1);
      }
    }
  }

  @Test
  void twoLastBranchesInOneBatchCompleteTheInstanceOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          Json.parse(
              """
              {"id":"both-end","activities":[
                {"id":"start","orchestrator":"noop","next":["a","b"]},
                {"id":"a","orchestrator":"noop","next":[]},
                {"id":"b","orchestrator":"noop","next":[]}]}"""));
      UUID id = h.start("both-end");
      h.engine
          .completions()
          .complete(
              h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task(),
              Json.object());
      List<ClaimedTask> branches = h.engine.queue().claim("pod-a", LEASE, 2);

      assertThat(h.engine.completions().completeAll(completions(branches)))
          .containsExactly(TaskOutcome.COMPLETED, TaskOutcome.COMPLETED);

      assertThat(h.instanceStatus(id)).isEqualTo("COMPLETED");
      assertThat(instanceEvents(h, "process_completed", id)).isEqualTo(1);
      assertThat(h.tasksOf(id)).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.DONE));
    }
  }

  @Test
  void childTasksCompletedInOneBatchResumeTheirParentOnce(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("research", "noop", "noop"));
      UUID id = h.start("research");
      Task parent =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task();
      List<JsonNode> inputs =
          List.of(
              Json.object().put("part", 1),
              Json.object().put("part", 2),
              Json.object().put("part", 3),
              Json.object().put("part", 4));
      assertThat(
              h.engine.suspensions().spawnChildren(parent, Json.object().put("planned", 4), inputs))
          .isEqualTo(TaskOutcome.WAITING);
      List<ClaimedTask> children = h.engine.queue().claim("pod-a", LEASE, 10);
      assertThat(children).hasSize(4);
      assertThat(children)
          .allSatisfy(c -> assertThat(c.task().parentTaskId()).isEqualTo(parent.id()));

      // Three children in one batch: the parent still waits for the fourth.
      List<TaskOutcome> firstBatch =
          h.engine
              .completions()
              .completeAll(
                  children.subList(0, 3).stream()
                      .map(c -> new Completion(c.task(), c.task().input()))
                      .toList());
      assertThat(firstBatch).containsOnly(TaskOutcome.COMPLETED).hasSize(3);
      assertThat(task(h, parent.id()).status()).isEqualTo(TaskStatus.WAITING);
      assertThat(events(h, "task_resumed", parent.id())).isZero();

      // Run the scenario again with all of a second parent's children in one batch.
      UUID id2 = h.start("research");
      Task parent2 =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow().task();
      assertThat(parent2.procInstId()).isEqualTo(id2);
      h.engine
          .suspensions()
          .spawnChildren(parent2, Json.object().put("planned", 3), inputs.subList(0, 3));
      List<ClaimedTask> children2 = h.engine.queue().claim("pod-a", LEASE, 10);
      assertThat(children2).hasSize(3);
      List<Completion> batch = new ArrayList<>();
      batch.add(new Completion(children.get(3).task(), children.get(3).task().input()));
      children2.forEach(c -> batch.add(new Completion(c.task(), c.task().input())));

      assertThat(h.engine.completions().completeAll(batch))
          .containsOnly(TaskOutcome.COMPLETED)
          .hasSize(4);

      for (Task p : List.of(parent, parent2)) {
        Task resumed = task(h, p.id());
        assertThat(resumed.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(resumed.attempts()).isZero();
        assertThat(resumed.checkpoint().get("state").has("planned")).isTrue();
        assertThat(events(h, "task_resumed", p.id()))
            .as("parent %d resumed once", p.id())
            .isEqualTo(1);
      }
      assertThat(h.instanceStatus(id)).isEqualTo("RUNNING");
      assertThat(h.instanceStatus(id2)).isEqualTo("RUNNING");
      assertThat(h.count("SELECT count(*) FROM todolist WHERE activity_id = 'a2'"))
          .as("children have no successors")
          .isZero();

      ClaimedTask again =
          h.engine.queue().claim("pod-a", LEASE, 1).stream().findFirst().orElseThrow();
      assertThat(again.task().id()).isIn(parent.id(), parent2.id());
      List<Integer> parts =
          again.task().id() == parent.id() ? List.of(1, 2, 3, 4) : List.of(1, 2, 3);
      assertThat(again.children())
          .extracting(t -> t.output().get("part").asInt())
          .containsExactlyInAnyOrderElementsOf(parts);
    }
  }

  // --- renewLeases(List<Task>, lease) ---------------------------------------------------------

  @Test
  void renewingAPodsLeasesReportsOnlyTheClaimsTakenAway(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(Definitions.linear("one", "noop"));
      for (int i = 0; i < 5; i++) h.start("one");
      List<Task> claims =
          h.engine.queue().claim("pod-a", LEASE, 5).stream().map(ClaimedTask::task).toList();
      assertThat(claims).hasSize(5);
      Task running1 = claims.get(0);
      Task running2 = claims.get(1);
      Task completed = claims.get(2);
      Task reclaimed = claims.get(3);
      Task rescuedOnly = claims.get(4);

      h.engine.completions().complete(completed, Json.object());
      ClaimedTask thief = rescueAndReclaim(h, reclaimed, "pod-b");
      h.expireLease(rescuedOnly.id());
      assertThat(h.engine.queue().rescueExpired(10).requeued()).isEqualTo(1);
      // The running claims are about to expire; the renewal must push them out again.
      h.db
          .jdbi()
          .useHandle(
              x ->
                  x.execute(
                      "UPDATE todolist SET lease_expires_at = now() + interval '1 second' WHERE id IN (?, ?)",
                      running1.id(),
                      running2.id()));
      String thiefLease =
          h.text("SELECT lease_expires_at::text FROM todolist WHERE id = " + reclaimed.id());

      Set<Long> lost = h.engine.queue().renewLeases(claims, Duration.ofMinutes(10));

      assertThat(lost).containsExactlyInAnyOrder(reclaimed.id(), rescuedOnly.id());
      for (Task t : List.of(running1, running2)) {
        Task renewed = task(h, t.id());
        assertThat(renewed.leaseExpiresAt())
            .isAfter(java.time.Instant.now().plus(Duration.ofMinutes(9)));
        assertThat(renewed.heartbeatAt()).isAfterOrEqualTo(t.heartbeatAt());
      }
      assertThat(h.text("SELECT lease_expires_at::text FROM todolist WHERE id = " + reclaimed.id()))
          .as("the other pod's lease is not ours to renew")
          .isEqualTo(thiefLease);
      assertThat(task(h, reclaimed.id()).claimToken()).isEqualTo(thief.task().claimToken());
      assertThat(task(h, completed.id()).status()).isEqualTo(TaskStatus.DONE);
      assertThat(task(h, completed.id()).leaseExpiresAt()).isNull();
      assertThat(task(h, rescuedOnly.id()).status()).isEqualTo(TaskStatus.PENDING);

      assertThat(h.engine.queue().renewLeases(List.of(running1, completed), LEASE))
          .as("a claim its holder has completed counts as held")
          .isEmpty();
      assertThat(h.engine.queue().renewLeases(List.of(), LEASE)).isEmpty();
    }
  }
}
