package dev.podflow.pod;

import dev.podflow.engine.TaskOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The pod's meters, all prefixed {@code podflow_}. Tags are few and bounded: {@code orchestrator}
 * (names this pod does not know are tagged {@code unknown}), {@code outcome}, and {@code pod} on
 * the slot gauges only.
 */
final class PodMetrics {
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
  }

  void leaseLost() {
    registry.counter("podflow.leases.lost").increment();
  }

  /** A task this pod was running was cancelled, and the pod stopped working on it. */
  void taskCancelled() {
    Counter.builder("podflow.tasks.cancelled")
        .description("Running tasks this pod abandoned because their process was cancelled")
        .register(registry)
        .increment();
  }

  void rescued(int requeued, int dead) {
    registry.counter("podflow.tasks.rescued", "outcome", "requeued").increment(requeued);
    registry.counter("podflow.tasks.rescued", "outcome", "dead").increment(dead);
  }

  void pruned(int instances) {
    registry.counter("podflow.instances.pruned").increment(instances);
  }

  void queueVacuumed(Duration took) {
    Timer.builder("podflow.queue.vacuum")
        .description("VACUUMs of todolist run by the queue vacuum pass, and how long they took")
        .register(registry)
        .record(took);
  }

  void databaseError(String operation) {
    registry.counter("podflow.pod.database.errors", "operation", operation).increment();
  }

  AtomicInteger busySlots() {
    return busySlots;
  }
}
