package dev.podflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.TestOrchestrators;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The engine on the test database, driven by hand as a pod would drive it: publish, start, claim,
 * complete, answer. Notices go out inline, right after each commit.
 */
public final class EngineFixture {
  public static final Duration LEASE = Duration.ofSeconds(30);

  public final TestDatabase testDb;
  public final Database db;
  public final DefinitionCatalog catalog;
  public final Engine engine;
  public final EventLog events;

  public EngineFixture(TestDatabase testDb) {
    this.testDb = testDb;
    this.db = testDb.database();
    this.catalog = new DefinitionCatalog(db.jdbi(), TestOrchestrators.REGISTRY);
    this.engine = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi()));
    this.events = new EventLog(testDb);
  }

  public UUID start(String definitionId, JsonNode input) {
    return engine
        .starter()
        .start(new StartCommand(definitionId, input, null, null, StartCommand.DEFAULT_TENANT, null))
        .instance()
        .id();
  }

  public UUID start(String definitionId) {
    return start(definitionId, Json.object().put("n", 1));
  }

  /** Up to {@code limit} due tasks, most urgent first, claimed by {@code podId}. */
  public List<ClaimedTask> claim(String podId, int limit) {
    return engine.queue().claim(podId, LEASE, limit);
  }

  /** The most urgent due task, claimed by {@code podId}; empty when none is due. */
  public Optional<ClaimedTask> claimNext(String podId) {
    return engine.queue().claim(podId, LEASE, 1).stream().findFirst();
  }

  /** Claims the next due task, which must exist and be of {@code activityId}, and completes it. */
  public Task completeNext(String activityId, JsonNode output) {
    ClaimedTask claimed = claimNext("pod").orElseThrow(() -> new AssertionError("nothing is due"));
    if (!claimed.task().activityId().equals(activityId)) {
      throw new AssertionError(
          "expected " + activityId + " to be due, got " + claimed.task().activityId());
    }
    engine.completions().complete(claimed.task(), output);
    return claimed.task();
  }

  public List<Task> tasksOf(UUID instance) {
    return db.jdbi().withExtension(TaskDao.class, dao -> dao.taskListByInstance(instance));
  }

  /** The tasks of an instance that run {@code activityId}, oldest first. */
  public List<Task> tasksOf(UUID instance, String activityId) {
    return tasksOf(instance).stream().filter(t -> t.activityId().equals(activityId)).toList();
  }

  /** The task's row as it is now. */
  public Task task(long id) {
    return db.jdbi().withExtension(TaskDao.class, dao -> dao.taskGet(id)).orElseThrow();
  }

  /** Pretends time passed: the task's lease, if it has one, is already over. */
  public void expireLease(long taskId) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE todolist SET lease_expires_at = now() - interval '1 second' WHERE id = ?",
                    taskId));
  }

  /**
   * Expires the task's claim, has the rescuer return it and {@code thief} claim it again: the
   * claim's holder now holds a stale claim.
   */
  public ClaimedTask rescueAndReclaim(Task claim, String thief) {
    expireLease(claim.id());
    if (engine.queue().rescueExpired(10).requeued() != 1) {
      throw new AssertionError("the rescuer did not return task " + claim.id());
    }
    ClaimedTask again = claimNext(thief).orElseThrow();
    if (again.task().id() != claim.id()) {
      throw new AssertionError("only the rescued task " + claim.id() + " was to be due");
    }
    return again;
  }

  public String instanceStatus(UUID instance) {
    return testDb.instanceStatus(instance);
  }
}
