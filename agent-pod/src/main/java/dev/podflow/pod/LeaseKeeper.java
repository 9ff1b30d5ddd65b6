package dev.podflow.pod;

import dev.podflow.engine.queue.TaskQueue;
import dev.podflow.store.task.Task;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of the pod's running tasks on a heartbeat. When a renewal finds the claim gone
 * (the task was rescued by another pod, or cancelled), it interrupts the slot running it: the work
 * is no longer ours, and its result would be refused anyway.
 *
 * <p>A cancelled task is usually stopped sooner: {@link TaskWakeups} hands each {@code
 * podflow_cancel} notice to {@link #cancelled}, which interrupts the slot the same way. The
 * heartbeat remains the fallback for notices lost while the LISTEN session was down.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final int RECENT_CANCELS = 4096;

  /**
   * A claimed task and the slot thread running it (none once its completion is handed over); {@code
   * lost} once the claim is gone.
   */
  static final class Running {
    final Task task;
    private Thread thread;
    private boolean active = true;
    private volatile boolean lost;

    Running(Task task, Thread thread) {
      this.task = task;
      this.thread = thread;
    }

    boolean lost() {
      return lost;
    }

    /**
     * Marks the claim lost and interrupts the slot; false when the task had already ended or was
     * already marked.
     */
    private synchronized boolean markLost() {
      if (!active || lost) return false; // finished between the read and the mark, or marked twice
      lost = true;
      if (thread != null) thread.interrupt();
      return true;
    }

    /** Detaches the slot: the task is no longer run, only waits for its completion to commit. */
    private synchronized void detach() {
      thread = null;
    }

    /** Ends tracking; an interrupt aimed at this task can no longer hit the slot's next one. */
    private synchronized void finish() {
      active = false;
    }
  }

  private final TaskQueue queue;
  private final Duration lease;
  private final Duration interval;
  private final PodMetrics metrics;
  private final String podId;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();

  /**
   * Cancel notices for tasks not running here, remembered briefly: a notice can overtake the slot
   * between its claim and {@link #track}, and a cancelled task never runs again.
   */
  private final Set<Long> recentlyCancelled =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                  return size() > RECENT_CANCELS;
                }
              }));

  private PeriodicTask heartbeat;

  LeaseKeeper(
      TaskQueue queue, Duration lease, Duration interval, PodMetrics metrics, String podId) {
    this.queue = queue;
    this.lease = lease;
    this.interval = interval;
    this.metrics = metrics;
    this.podId = podId;
  }

  void start() {
    heartbeat =
        PeriodicTask.start("podflow-heartbeat-" + podId, interval, interval, this::renewAll);
  }

  void stop() {
    if (heartbeat != null) heartbeat.stop();
  }

  Running track(Task task) {
    Running r = new Running(task, Thread.currentThread());
    running.put(task.id(), r);
    if (recentlyCancelled.contains(task.id())) abandonCancelled(r);
    return r;
  }

  /** Stops renewing the task's lease; called by its slot, or by the completer that recorded it. */
  void untrack(Running r) {
    r.finish();
    running.remove(r.task.id(), r);
    Thread.interrupted(); // on the slot: clear an interrupt that raced with the end of the task
  }

  /**
   * The slot is done running the task, whose completion waits for the {@link Completer}: the lease
   * is still renewed, but a lost claim or a cancel no longer interrupts the slot, which runs its
   * next task by then. Called on the slot's thread.
   */
  void handOver(Running r) {
    r.detach();
    Thread.interrupted(); // an interrupt that came before the detach was meant for this task
  }

  /**
   * The task was cancelled (a {@code podflow_cancel} notice). If this pod runs it, its slot is
   * interrupted and writes nothing: the task must not be handed back or failed. Returns true when
   * the task ran here. Safe from any thread.
   */
  boolean cancelled(long taskId) {
    recentlyCancelled.add(taskId);
    Running r = running.get(taskId);
    return r != null && abandonCancelled(r);
  }

  private boolean abandonCancelled(Running r) {
    if (!r.markLost()) return false;
    log.info("[pod {}] task {} was cancelled; abandoning it", podId, r.task.id());
    metrics.taskCancelled();
    return true;
  }

  /**
   * One heartbeat over every claim of the pod (running, or finished and waiting for its completion
   * to commit), in one statement; returns how many claims were found lost.
   */
  int renewAll() {
    List<Running> claims = List.copyOf(running.values());
    if (claims.isEmpty()) return 0;
    Set<Long> lostIds;
    try {
      lostIds = queue.renewLeases(claims.stream().map(r -> r.task).toList(), lease);
    } catch (RuntimeException e) {
      metrics.databaseError("heartbeat");
      log.warn(
          "[pod {}] heartbeat for {} task(s) failed: {}", podId, claims.size(), e.getMessage());
      return 0;
    }
    int lost = 0;
    for (Running r : claims) {
      if (lostIds.contains(r.task.id()) && r.markLost()) {
        log.warn(
            "[pod {}] lost the claim on task {} (rescued after its lease expired, or cancelled);"
                + " abandoning it",
            podId,
            r.task.id());
        metrics.leaseLost();
        lost++;
      }
    }
    return lost;
  }
}
