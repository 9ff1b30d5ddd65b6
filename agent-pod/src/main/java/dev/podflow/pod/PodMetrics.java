package dev.podflow.pod;

import dev.podflow.engine.TaskOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The pod's meters, all prefixed {@code podflow_}. Tags are few and bounded: {@code orchestrator}
 * (names this pod does not know are tagged {@code unknown}), {@code outcome}, and {@code pod} on
 * the slot gauges only.
 *
 * <p>Counters a quiet pod may never touch (dead tasks, retries, rescues, errors) are registered at
 * zero for every known tag value, so a dashboard panel reads 0 rather than "No data".
 */
final class PodMetrics {
  /** The {@code operation} tags of {@link #databaseError}. */
  private static final List<String> DATABASE_OPERATIONS =
      List.of("claim", "heartbeat", "record_outcome", "rescue", "prune", "queue_vacuum");

  private final MeterRegistry registry;
  private final AtomicInteger busySlots = new AtomicInteger();

  /**
   * Slot gauges carry the pod id: one value per pod, also when several pods share a registry (the
   * demo).
   */
  PodMetrics(MeterRegistry registry, String podId, int slots, IntSupplier idleSlots) {
    this.registry = registry;
    Gauge.builder("podflow.pod.slots", () -> slots)
        .description("Slots of the pod")
        .tag("pod", podId)
        .strongReference(true)
        .register(registry);
    Gauge.builder("podflow.pod.slots.busy", busySlots, AtomicInteger::get)
        .description("Slots running a task")
        .tag("pod", podId)
        .strongReference(true)
        .register(registry);
    Gauge.builder("podflow.pod.slots.idle", idleSlots::getAsInt)
        .description("Slots waiting for work: for a wake-up or their next poll")
        .tag("pod", podId)
        .strongReference(true)
        .register(registry);
    for (TaskOutcome outcome : TaskOutcome.values()) finishedCounter(outcome);
    leasesLost();
    cancelled();
    rescuedCounter("requeued");
    rescuedCounter("dead");
    prunedCounter();
    vacuumTimer();
    DATABASE_OPERATIONS.forEach(this::databaseErrors);
  }

  void claimed(String orchestrator, Duration waited) {
    Counter.builder("podflow.tasks.claimed")
        .description("Tasks claimed by this pod")
        .tag("orchestrator", orchestrator)
        .register(registry)
        .increment();
    Timer.builder("podflow.task.wait")
        .description("Time from due to claimed")
        .tag("orchestrator", orchestrator)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry)
        .record(waited.isNegative() ? Duration.ZERO : waited);
  }

  void finished(String orchestrator, TaskOutcome outcome, Duration ran) {
    Timer.builder("podflow.task.run")
        .description("Run time of attempts, by how they ended")
        .tag("orchestrator", orchestrator)
        .tag("outcome", outcome.tag())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry)
        .record(ran);
    finishedCounter(outcome).increment();
  }

  /** Attempts by how they ended, all orchestrators together: cheaper than the timer's buckets. */
  private Counter finishedCounter(TaskOutcome outcome) {
    return Counter.builder("podflow.tasks.finished")
        .description("Attempts this pod ended, by outcome (retry_scheduled: retries; dead)")
        .tag("outcome", outcome.tag())
        .register(registry);
  }

  void leaseLost() {
    leasesLost().increment();
  }

  private Counter leasesLost() {
    return registry.counter("podflow.leases.lost");
  }

  /** A task this pod was running was cancelled, and the pod stopped working on it. */
  void taskCancelled() {
    cancelled().increment();
  }

  private Counter cancelled() {
    return Counter.builder("podflow.tasks.cancelled")
        .description("Running tasks this pod abandoned because their process was cancelled")
        .register(registry);
  }

  void rescued(int requeued, int dead) {
    rescuedCounter("requeued").increment(requeued);
    rescuedCounter("dead").increment(dead);
  }

  private Counter rescuedCounter(String outcome) {
    return registry.counter("podflow.tasks.rescued", "outcome", outcome);
  }

  void pruned(int instances) {
    prunedCounter().increment(instances);
  }

  private Counter prunedCounter() {
    return registry.counter("podflow.instances.pruned");
  }

  void queueVacuumed(Duration took) {
    vacuumTimer().record(took);
  }

  private Timer vacuumTimer() {
    return Timer.builder("podflow.queue.vacuum")
        .description("VACUUMs of todolist run by the queue vacuum pass, and how long they took")
        .register(registry);
  }

  void databaseError(String operation) {
    databaseErrors(operation).increment();
  }

  private Counter databaseErrors(String operation) {
    return registry.counter("podflow.pod.database.errors", "operation", operation);
  }

  AtomicInteger busySlots() {
    return busySlots;
  }
}
