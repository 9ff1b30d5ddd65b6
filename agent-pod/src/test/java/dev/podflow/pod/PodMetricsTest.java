package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.TaskOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pod that has done nothing yet already exports its failure counters, at zero. */
class PodMetricsTest {

  @Test
  void countersAQuietPodNeverTouchesExistAtZero() {
    MeterRegistry registry = new SimpleMeterRegistry();
    PodMetrics metrics = new PodMetrics(registry, "pod-1", 2, () -> 2);

    for (TaskOutcome outcome : TaskOutcome.values()) {
      assertThat(
              registry
                  .get("podflow.tasks.finished")
                  .tag("outcome", outcome.tag())
                  .counter()
                  .count())
          .isZero();
    }
    assertThat(registry.get("podflow.tasks.rescued").tag("outcome", "dead").counter().count())
        .isZero();
    assertThat(
            registry.get("podflow.pod.database.errors").tag("operation", "claim").counter().count())
        .isZero();
    assertThat(registry.get("podflow.leases.lost").counter().count()).isZero();
    assertThat(registry.get("podflow.tasks.cancelled").counter().count()).isZero();
    assertThat(registry.get("podflow.queue.vacuum").timer().count()).isZero();

    metrics.finished("noop", TaskOutcome.DEAD, Duration.ofMillis(3));
    assertThat(registry.get("podflow.tasks.finished").tag("outcome", "dead").counter().count())
        .isEqualTo(1);
  }
}
