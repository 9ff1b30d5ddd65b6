package dev.podflow.engine.orchestrator;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What a pod hands its orchestrators in {@link Orchestrator#start}, once, before it claims: its
 * database, its metrics, a clock, the settings it was started with, from which a plug-in reads its
 * own (for example {@code PODFLOW_LLM_*}), and the components its plug-ins share.
 *
 * @param podId the pod's name, for logs
 * @param jdbi the pod's connection pool
 * @param metrics where the pod's metrics go
 * @param clock the pod's clock
 * @param settings the pod's environment (the launcher's; tests pass their own), never null
 * @param components what the pod's plug-ins share; the pod closes them as it stops
 */
public record PodServices(
    String podId,
    Jdbi jdbi,
    MeterRegistry metrics,
    Clock clock,
    Map<String, String> settings,
    PodComponents components) {
  public PodServices {
    settings = Map.copyOf(settings);
  }
}
