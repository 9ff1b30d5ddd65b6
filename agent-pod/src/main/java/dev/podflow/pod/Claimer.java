package dev.podflow.pod;

import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.queue.TaskQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Claims for the pod's free slots together: a slot that needs a task claims, in one statement, for
 * itself and for every other slot not running a task (waiting here, idle until new work is
 * announced, or about to come back from the task it just finished); the extra tasks wait in the pod
 * for those slots, and idle slots are woken to take them. Slots that come while a claim is under
 * way wait for it. A stopping pod hands back what no slot came for ({@link #takeLeftovers}). A pod
 * never holds more claimed tasks than it has free slots, so a claimed task waits only for a slot
 * that is already on its way, never while another pod could run it. With one slot this is one claim
 * per task. Thread-safe.
 */
final class Claimer {
  private final TaskQueue queue;
  private final String podId;
  private final Duration lease;
  private final int slots;
  private final Runnable wakeIdleSlots;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition claimEnded = lock.newCondition();

  /** Tasks a claim brought for slots that were waiting, not yet taken. */
  private final ArrayDeque<ClaimedTask> ready = new ArrayDeque<>();

  /** Slots inside {@link #next} without a task. */
  private int waiting;

  /** Slots that took a task from {@link #next} and have not called {@link #finished} yet. */
  private int holding;

  private boolean claiming;
  private long roundsStarted;
  private long roundsEnded;

  /**
   * @param wakeIdleSlots wakes the slots that wait for new work (a NOTIFY or their poll), when a
   *     claim brought tasks for them
   */
  Claimer(TaskQueue queue, String podId, Duration lease, int slots, Runnable wakeIdleSlots) {
    this.queue = queue;
    this.podId = podId;
    this.lease = lease;
    this.slots = slots;
    this.wakeIdleSlots = wakeIdleSlots;
  }

  /**
   * A task for the calling slot, or empty when the queue had none due for it. A slot that arrives
   * while another claims waits for that claim; if it was not counted in it, it claims next.
   *
   * @throws RuntimeException when the claim this slot ran failed (slots that waited for it get
   *     empty)
   */
  Optional<ClaimedTask> next() {
    boolean interrupted = false;
    lock.lock();
    try {
      if (!ready.isEmpty()) return take();
      long arrivedAfter = roundsStarted; // a round started later counts this slot in
      waiting++;
      try {
        while (true) {
          if (!ready.isEmpty()) return take();
          if (!claiming) {
            if (roundsEnded > arrivedAfter) return Optional.empty(); // counted in; none left
            claimForFreeSlots();
            continue;
          }
          try {
            claimEnded.await();
          } catch (InterruptedException e) {
            interrupted = true; // the claim under way may bring this slot a task: take it
          }
        }
      } finally {
        waiting--;
      }
    } finally {
      lock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** The calling slot is done with the task {@link #next} gave it. */
  void finished() {
    lock.lock();
    try {
      holding--;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Empties the tasks claimed for slots that did not come for them (the pod stopped meanwhile), for
   * the caller to hand back.
   */
  List<ClaimedTask> takeLeftovers() {
    lock.lock();
    try {
      List<ClaimedTask> left = List.copyOf(ready);
      ready.clear();
      return left;
    } finally {
      lock.unlock();
    }
  }

  private Optional<ClaimedTask> take() {
    holding++;
    return Optional.of(ready.poll());
  }

  /**
   * Claims for every free slot no claimed task waits for yet (at least the calling one); called
   * holding the lock, which the claim itself runs without.
   */
  private void claimForFreeSlots() {
    claiming = true;
    roundsStarted++;
    int limit = Math.max(1, slots - holding - ready.size());
    List<ClaimedTask> claimed = List.of();
    lock.unlock(); // slots arriving meanwhile register as waiting and wait for this round
    try {
      claimed = queue.claim(podId, lease, limit);
    } finally {
      lock.lock();
      claiming = false;
      roundsEnded++;
      ready.addAll(claimed);
      claimEnded.signalAll();
      // More than the slots waiting here will take (the caller among them): the others are idle,
      // waiting for a NOTIFY or their poll; they must come now, not when that wait ends.
      if (ready.size() > waiting - 1) wakeIdleSlots.run();
    }
  }
}
