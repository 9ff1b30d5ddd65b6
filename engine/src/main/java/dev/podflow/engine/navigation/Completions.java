package dev.podflow.engine.navigation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.HotSql;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.CompletedRow;
import dev.podflow.store.task.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Records what pods finished: each claimed task DONE (fenced by its claim token) with its {@code
 * task_completed} event, then what follows it ({@link Navigator}), in one transaction.
 *
 * <p>Locks, in this order: the parents of child tasks (in id order), the completed task rows, their
 * instances (in id order), then what {@link Navigator} takes. Each instance's completions are
 * followed together and the instance is settled once after all of them, so a batch holding two
 * tasks of one instance neither completes it early nor releases a join before both arrived.
 * Thread-safe.
 */
public final class Completions {
  private final TxRunner runner;
  private final Navigator navigator;

  public Completions(TxRunner runner, Navigator navigator) {
    this.runner = runner;
    this.navigator = navigator;
  }

  /**
   * Marks the task done and queues what follows it; completes the instance when nothing is left.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome complete(Task claimed, JsonNode output) {
    TaskOutcome outcome = completeAll(List.of(new Completion(claimed, output))).getFirst();
    if (outcome == TaskOutcome.STALE) {
      throw new StaleClaimException(claimed.id(), claimed.claimedBy());
    }
    return outcome;
  }

  /**
   * Records finished tasks in one transaction, one synchronous commit for all of them. Returns an
   * outcome per completion, in order: {@code COMPLETED}, or {@code STALE} when its claim is no
   * longer held (nothing of it is written; the others go ahead). A database error fails the whole
   * transaction and records none of them.
   */
  public List<TaskOutcome> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) return List.of();
    return runner.inTransaction(
        tx -> {
          // A child's completion changes its parent; every other path that locks both (a cancel)
          // locks in id order, parent first.
          completions.stream()
              .map(c -> c.task().parentTaskId())
              .filter(Objects::nonNull)
              .distinct()
              .sorted()
              .forEach(parent -> tx.tasks().taskLock(parent));
          List<HotSql.Completion> rows = new ArrayList<>(completions.size());
          Map<Long, Completion> byTask = new HashMap<>();
          for (Completion c : completions) {
            Task task = c.task();
            rows.add(new HotSql.Completion(task.id(), task.claimToken(), c.output()));
            byTask.put(task.id(), c);
          }
          // Tasks DONE, instances locked, task_completed events written: one statement.
          List<CompletedRow> done = HotSql.complete(tx.handle(), rows);
          Map<UUID, ProcessInstance> instances = new LinkedHashMap<>();
          Map<UUID, List<Completion>> byInstance = new HashMap<>();
          Set<Long> completed = new HashSet<>();
          for (CompletedRow row : done) {
            completed.add(row.taskId());
            instances.putIfAbsent(row.instance().id(), row.instance());
            byInstance
                .computeIfAbsent(row.instance().id(), id -> new ArrayList<>())
                .add(byTask.get(row.taskId()));
          }
          List<Navigator.Settling> toSettle = new ArrayList<>(instances.size());
          for (ProcessInstance instance : instances.values()) {
            List<Completion> ofInstance = byInstance.get(instance.id());
            if (navigator.follow(tx, instance, ofInstance)) {
              toSettle.add(new Navigator.Settling(instance, ofInstance.getLast().output()));
            }
          }
          navigator.settle(tx, toSettle);
          List<TaskOutcome> outcomes = new ArrayList<>(completions.size());
          for (Completion c : completions) {
            outcomes.add(
                completed.contains(c.task().id()) ? TaskOutcome.COMPLETED : TaskOutcome.STALE);
          }
          return outcomes;
        });
  }
}
