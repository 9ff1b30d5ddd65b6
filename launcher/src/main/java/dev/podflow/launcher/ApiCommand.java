package dev.podflow.launcher;

import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code ./podflow api}: the execution API on a migrated {@code DATABASE_URL}, until stopped. */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = {
      "run the execution API against DATABASE_URL",
      "It listens on PODFLOW_HTTP_PORT (8080) and refuses a database whose schema is older than"
          + " this build."
    })
final class ApiCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ApiCommand.class);
  private final Settings settings;

  ApiCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    start().serveUntilStopped();
    return 0;
  }

  private RunningSystem start() {
    // A bad PODFLOW_JWT_*, PODFLOW_CORS_ORIGINS or port fails before anything starts.
    ApiSettings apiSettings = settings.api();
    RunningSystem system = new RunningSystem();
    try {
      Database database =
          system.add(MigratedDatabase.connect(settings.database(), settings.databaseWait()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      system.add(ProcessMetrics.bind(registry, database));
      ExecutionApi api = system.add(ExecutionApi.start(database, registry, apiSettings));
      system.apiPort(api.port());
      log.info("execution API listening on port {}", api.port());
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }
}
