package dev.podflow.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.navigation.Completion;
import dev.podflow.engine.navigation.Completions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the pod's completed tasks in batches. A slot hands over a task its orchestrator finished
 * and claims its next task at once; this thread commits everything handed over meanwhile in one
 * transaction ({@link Completions#completeAll}): one synchronous commit and a few statements for
 * many tasks, where a slot used to wait for a commit of its own per task. The busier the pod, the
 * larger the batches (River's batch completer works the same way).
 *
 * <p>Until its completion commits, a task stays IN_PROGRESS under its lease, which the {@link
 * LeaseKeeper} goes on renewing: if the pod dies meanwhile, the task runs again once the lease
 * expires, as for a pod that dies while running it (tasks are at-least-once). A cancel or a lost
 * lease makes its completion stale, and nothing of it is written. When the hand-over queue is full
 * (the database is slow or away) slots wait, so a pod never runs further ahead of what it has
 * recorded than {@link #CAPACITY} tasks. {@link #close} records everything handed over before it
 * returns; a slot that hands over later (it outlived the pod's stop) records its own. Thread-safe.
 */
final class Completer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);

  /** Completions handed over but not yet committed, at most. */
  static final int CAPACITY = 256;

  /** Completions in one transaction, at most. */
  static final int MAX_BATCH = 128;

  /** A task a slot finished, waiting to be recorded. */
  record Finished(LeaseKeeper.Running running, JsonNode output, String metricName, Duration ran) {}

  private final Completions completions;
  private final LeaseKeeper leases;
  private final OutcomeWriter writer;
  private final PodMetrics metrics;
  private final String podId;
  private final ArrayDeque<Finished> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;

  Completer(
      Completions completions,
      LeaseKeeper leases,
      OutcomeWriter writer,
      PodMetrics metrics,
      String podId) {
    this.completions = completions;
    this.leases = leases;
    this.writer = writer;
    this.metrics = metrics;
    this.podId = podId;
    this.thread = Thread.ofPlatform().name("podflow-completer-" + podId).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /**
   * Hands a finished task over; waits while {@link #CAPACITY} are already waiting. The running task
   * is detached from the slot first, so a cancel or a lost lease can no longer interrupt the slot's
   * next task. An interrupt does not cut the wait short (the result must not be dropped); it is
   * kept for the caller.
   */
  void handOver(Finished finished) {
    leases.handOver(finished.running());
    boolean interrupted = false;
    synchronized (queue) {
      while (queue.size() >= CAPACITY && !closed) {
        try {
          queue.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (!closed) {
        queue.add(finished);
        queue.notifyAll();
        finished = null;
      }
    }
    // A slot that outlived the pod's stop (its task ignored the interrupt) records its own.
    if (finished != null) record(List.of(finished));
    if (interrupted) Thread.currentThread().interrupt();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  /** True once {@link #close} was called, until everything handed over is recorded. */
  boolean isClosing() {
    synchronized (queue) {
      return closed && thread.isAlive();
    }
  }

  /** Records what is still queued, then stops the thread. */
  @Override
  public void close() {
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      List<Finished> batch = new ArrayList<>();
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            closed = true; // nobody interrupts this thread but a JVM going down
          }
        }
        if (queue.isEmpty()) return;
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) batch.add(queue.poll());
        queue.notifyAll(); // room for waiting slots
      }
      record(batch);
    }
  }

  private void record(List<Finished> batch) {
    List<Completion> finished = new ArrayList<>(batch.size());
    for (Finished f : batch) finished.add(new Completion(f.running().task, f.output()));
    List<TaskOutcome> outcomes;
    boolean together = true;
    try {
      outcomes = completions.completeAll(finished);
    } catch (RuntimeException e) {
      together = false;
      // One at a time, each retried while its claim can still be valid: a completion that fails
      // on its own (or a deadlock between batches) must not hold the others back.
      metrics.databaseError("record_outcome");
      log.warn(
          "[pod {}] recording {} completion(s) together failed ({}); recording them one by one",
          podId,
          batch.size(),
          e.getMessage());
      outcomes = new ArrayList<>(batch.size());
      // One lease for them all: after that their claims are in doubt anyway (the heartbeat cannot
      // renew them either while the database is away), and a stopping pod must not wait a lease
      // per completion.
      Instant giveUp = writer.giveUpFromNow();
      for (Finished f : batch) {
        outcomes.add(
            writer.write(
                f.running(), () -> completions.complete(f.running().task, f.output()), giveUp));
      }
    }
    for (int k = 0; k < batch.size(); k++) {
      Finished f = batch.get(k);
      TaskOutcome outcome = outcomes.get(k);
      if (together && outcome == TaskOutcome.STALE) { // one by one, the writer said so already
        log.warn(
            "[pod {}] task {} is no longer claimed by this pod (rescued or cancelled);"
                + " its result was refused",
            podId,
            f.running().task.id());
      }
      leases.untrack(f.running());
      metrics.finished(f.metricName(), outcome, f.ran());
      log.debug(
          "[pod {}] task {} ({}) ended {}",
          podId,
          f.running().task.id(),
          f.running().task.activityId(),
          outcome);
    }
  }
}
