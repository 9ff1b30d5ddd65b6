package dev.podflow.engine.queue;

import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.failure.FailurePolicy;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.HotSql;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.ClaimedRow;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The queue's mechanics, fenced row state only: claims, lease renewals, hand-backs and the rescue
 * of expired leases (River's {@code JobGetAvailable}, {@code JobRescueMany}). What a task's end
 * means for its process belongs to navigation, suspensions and the failure policy.
 *
 * <p>Locks: a claim locks the due rows it takes (SKIP LOCKED) and commits alone; a renewal, a
 * release and a rescue lock only the task rows they change, and a rescue that kills a task then its
 * instance row (see {@link FailurePolicy}). One pod rescues at a time (an advisory lock). Claims
 * take tasks of any orchestrator, or only of some ({@link #claimingOnly}). Thread-safe.
 */
public final class TaskQueue {
  private final TxRunner runner;
  private final DefinitionCatalog catalog;
  private final FailurePolicy failures;

  /** The orchestrators whose tasks {@link #claim} takes; empty for any. */
  private final List<String> orchestrators;

  public TaskQueue(TxRunner runner, DefinitionCatalog catalog, FailurePolicy failures) {
    this(runner, catalog, failures, List.of());
  }

  private TaskQueue(
      TxRunner runner,
      DefinitionCatalog catalog,
      FailurePolicy failures,
      List<String> orchestrators) {
    this.runner = runner;
    this.catalog = catalog;
    this.failures = failures;
    this.orchestrators = orchestrators;
  }

  /**
   * This queue, but its claims take only tasks of {@code orchestrators} (a pod started for some
   * orchestrators only), served by an index of its own; renewals, hand-backs and rescues are the
   * same.
   */
  public TaskQueue claimingOnly(Collection<String> orchestrators) {
    if (orchestrators.isEmpty()) {
      throw new IllegalArgumentException("a queue claims tasks of one orchestrator at least");
    }
    return new TaskQueue(runner, catalog, failures, List.copyOf(new TreeSet<>(orchestrators)));
  }

  /**
   * Claims up to {@code limit} of the most urgent due tasks for {@code podId} in one statement (one
   * round trip, one commit), records each claim as an event and returns the tasks with their
   * activities and instances, most urgent first.
   */
  public List<ClaimedTask> claim(String podId, Duration lease, int limit) {
    return runner.autocommit(
        tx -> {
          List<ClaimedRow> rows =
              HotSql.claim(tx.handle(), podId, seconds(lease), limit, orchestrators);
          List<ClaimedTask> claimed = new ArrayList<>(rows.size());
          try {
            for (ClaimedRow row : rows) {
              claimed.add(withActivity(tx, row.task(), row.instance()));
              tx.afterCommit(Notice.newEvents(row.instance().id()));
            }
          } catch (RuntimeException e) {
            handBack(rows, e);
            throw e;
          }
          return claimed;
        });
  }

  /**
   * The claim committed but reading what its tasks need failed (the definition, the children; for
   * example a pod interrupted by its shutdown while a cold start still reads its SQL): the tasks go
   * back to the queue at once instead of waiting for their leases, their attempts not counted. An
   * interrupt must not cut the hand-back short; it is kept for the caller.
   */
  private void handBack(List<ClaimedRow> rows, RuntimeException cause) {
    boolean interrupted = Thread.interrupted();
    try {
      for (ClaimedRow row : rows) {
        try {
          release(row.task(), "the claim could not be completed: " + cause.getMessage());
        } catch (RuntimeException e) {
          cause.addSuppressed(e); // its lease expires and the rescuer returns it
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private ClaimedTask withActivity(QueueTx tx, Task task, ProcessInstance instance) {
    Activity activity =
        catalog
            .get(tx.handle(), instance.tenantId(), instance.procDefId(), instance.procDefVersion())
            .definition()
            .activity(task.activityId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "task "
                            + task.id()
                            + " names activity "
                            + task.activityId()
                            + " that definition "
                            + instance.procDefId()
                            + " v"
                            + instance.procDefVersion()
                            + " lacks"));
    // A parent that runs again after its children: they are all DONE and stay so.
    List<Task> children =
        task.waitingFor() == WaitingFor.CHILDREN
            ? tx.tasks().taskListChildren(task.id())
            : List.of();
    return new ClaimedTask(task, activity, instance, children);
  }

  /**
   * Extends the leases of a pod's claims in one statement; returns the ids of the tasks whose claim
   * was taken away (rescued, handed back, cancelled or claimed again). A claim its holder has just
   * finished counts as still held, since a heartbeat can race with the pod's own completion.
   */
  public Set<Long> renewLeases(List<Task> claimed, Duration lease) {
    if (claimed.isEmpty()) return Set.of();
    long[] ids = claimed.stream().mapToLong(Task::id).toArray();
    UUID[] tokens = claimed.stream().map(Task::claimToken).toArray(UUID[]::new);
    return runner.autocommit(
        tx -> {
          Set<Long> renewed =
              new HashSet<>(tx.tasks().taskRenewLeases(ids, tokens, seconds(lease)));
          Set<Long> lost = new HashSet<>();
          for (Task task : claimed) {
            // Asked only when the renewal missed it, on a fresh snapshot that sees a completion
            // the renewal had to wait for.
            if (!renewed.contains(task.id())
                && !tx.tasks().taskClaimHeld(task.id(), task.claimToken())) {
              lost.add(task.id());
            }
          }
          return lost;
        });
  }

  /**
   * Hands the task back as PENDING without counting the attempt (a pod shutting down).
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome release(Task claimed, String reason) {
    return runner.inTransaction(
        tx -> {
          if (tx.tasks().taskRelease(claimed.id(), claimed.claimToken()) == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          tx.events().released(claimed, reason);
          tx.afterCommit(Notice.tasksReady());
          return TaskOutcome.RELEASED;
        });
  }

  /**
   * Returns up to {@code limit} tasks whose lease expired to PENDING, or DEAD when out of attempts
   * (their instances in ERROR). Only one pod rescues at a time; the others get {@code skipped}.
   */
  public RescueResult rescueExpired(int limit) {
    return runner.inTransaction(
        tx -> {
          if (!tx.tasks().taskRescueTryLock()) return new RescueResult(0, 0, true);
          int requeued = 0;
          int dead = 0;
          for (Task task : tx.tasks().taskRescueExpired(limit)) {
            tx.events().leaseExpired(task);
            if (task.status() == TaskStatus.DEAD) {
              failures.taskDied(tx, task, task.lastError(), "no attempts left");
              dead++;
            } else {
              requeued++;
            }
          }
          if (requeued > 0) tx.afterCommit(Notice.tasksReady());
          return new RescueResult(requeued, dead, false);
        });
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
