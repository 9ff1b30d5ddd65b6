package dev.podflow.launcher;

import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.OpsServer;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.access.DatabaseRole;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code ./podflow pod}: one agent pod and its ops endpoints on a migrated {@code DATABASE_URL},
 * until stopped.
 */
@Command(
    name = "pod",
    mixinStandardHelpOptions = true,
    description = {
      "run an agent pod against DATABASE_URL (metrics on PODFLOW_METRICS_PORT, 8081)",
      "It serves /healthz, /readyz and /metrics, and refuses a database whose schema is older than"
          + " this build. Any number of pods can work one database."
    })
final class PodCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(PodCommand.class);
  private final Settings settings;

  PodCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    start().serveUntilStopped();
    return 0;
  }

  private RunningSystem start() {
    RunningSystem system = new RunningSystem();
    try {
      PodConfig config = settings.pod();
      Database database =
          system.add(
              MigratedDatabase.connect(
                  settings
                      .database()
                      .withRole(DatabaseRole.POD)
                      .withPool(config.slots() + 2, "podflow-pod"),
                  settings.databaseWait()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      system.add(ProcessMetrics.bind(registry, database));
      AgentPod pod = new AgentPod(config, database, OrchestratorRegistry.discover(), registry);
      OpsServer ops = system.add(OpsServer.start(pod, registry, settings.metricsPort()));
      system.add(pod.start());
      log.info(
          "pod {} serving /healthz, /readyz and /metrics on port {}", config.podId(), ops.port());
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }
}
