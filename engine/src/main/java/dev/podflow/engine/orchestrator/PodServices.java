package dev.podflow.engine.orchestrator;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What a pod hands its orchestrators in {@link Orchestrator#start}, once, before it claims: its
 * database, its metrics, a clock, and the settings it was started with, from which a plug-in reads
 * its own (for example {@code PODFLOW_LLM_*}).
 *
 * @param podId the pod's name, for logs
 * @param jdbi the pod's connection pool
 * @param metrics where the pod's metrics go
 * @param clock the pod's clock
 * @param settings the pod's environment (the launcher's; tests pass their own), never null
 */
public record PodServices(
    String podId, Jdbi jdbi, MeterRegistry metrics, Clock clock, Map<String, String> settings) {
  public PodServices {
    settings = Map.copyOf(settings);
  }
}
