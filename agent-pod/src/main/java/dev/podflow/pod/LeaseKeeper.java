package dev.podflow.pod;

import dev.podflow.engine.transition.TaskTransitions;
import dev.podflow.store.task.Task;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of the pod's running tasks on a heartbeat. When a renewal finds the claim gone
 * (the task was rescued by another pod), it interrupts the slot running it: the work is no longer
 * ours, and its result would be refused anyway.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** A running task and the thread running it; {@code lost} once the claim is gone. */
  static final class Running {
    final Task task;
    private final Thread thread;
    private boolean active = true;
    private volatile boolean lost;

    Running(Task task, Thread thread) {
      this.task = task;
      this.thread = thread;
    }

    boolean lost() {
      return lost;
    }

    /** Marks the claim lost and interrupts the slot; false when the task had already ended. */
    private synchronized boolean markLost() {
      if (!active) return false; // finished between the heartbeat's read and its renewal
      lost = true;
      thread.interrupt();
      return true;
    }

    /** Ends tracking; an interrupt aimed at this task can no longer hit the slot's next one. */
    private synchronized void finish() {
      active = false;
    }
  }

  private final TaskTransitions transitions;
  private final Duration lease;
  private final Duration interval;
  private final PodMetrics metrics;
  private final String podId;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private PeriodicTask heartbeat;

  LeaseKeeper(
      TaskTransitions transitions,
      Duration lease,
      Duration interval,
      PodMetrics metrics,
      String podId) {
    this.transitions = transitions;
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
    return r;
  }

  void untrack(Running r) {
    r.finish();
    running.remove(r.task.id(), r);
    Thread.interrupted(); // clear an interrupt that raced with the end of the task
  }

  /** One heartbeat over every running task; returns how many claims were found lost. */
  int renewAll() {
    int lost = 0;
    for (Running r : running.values()) {
      try {
        if (!transitions.renewLease(r.task, lease) && r.markLost()) {
          log.warn(
              "[pod {}] lost the claim on task {} (lease expired and rescued); abandoning it",
              podId,
              r.task.id());
          metrics.leaseLost();
          lost++;
        }
      } catch (RuntimeException e) {
        metrics.databaseError("heartbeat");
        log.warn("[pod {}] heartbeat for task {} failed: {}", podId, r.task.id(), e.getMessage());
      }
    }
    return lost;
  }
}
