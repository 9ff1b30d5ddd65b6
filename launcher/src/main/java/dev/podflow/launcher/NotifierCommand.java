package dev.podflow.launcher;

import dev.podflow.notifier.NotifierService;
import dev.podflow.notifier.NotifierSettings;
import dev.podflow.notifier.email.EmailSettings;
import dev.podflow.notifier.fcm.FcmSettings;
import dev.podflow.pod.OpsServer;
import dev.podflow.store.Database;
import dev.podflow.store.access.DatabaseRole;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code ./podflow notifier}: one notifier (as {@code podflow_notifier}) and its ops endpoints on a
 * migrated {@code DATABASE_URL}, until stopped.
 */
@Command(
    name = "notifier",
    mixinStandardHelpOptions = true,
    description = {
      "deliver notifications from DATABASE_URL (metrics on PODFLOW_METRICS_PORT, 8081)",
      "Push through FCM when PODFLOW_FCM_PROJECT_ID and GOOGLE_APPLICATION_CREDENTIALS (or"
          + " PODFLOW_FCM_ACCESS_TOKEN) are set, email through PODFLOW_SMTP_URL from"
          + " PODFLOW_SMTP_FROM; with neither it logs each delivery it would make. It serves /healthz, /readyz and /metrics. Any number of notifiers can"
          + " work one database."
    })
final class NotifierCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NotifierCommand.class);
  private final Settings settings;

  NotifierCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    start().serveUntilStopped();
    return 0;
  }

  private RunningSystem start() {
    NotifierSettings config = settings.notifier();
    Optional<FcmSettings> fcm = settings.fcm();
    Optional<EmailSettings> email = settings.email();
    RunningSystem system = new RunningSystem();
    try {
      Database database =
          system.add(
              MigratedDatabase.connect(
                  settings
                      .database()
                      .session() // one or two replicas: not worth a pooler's database entry
                      .withRole(DatabaseRole.NOTIFIER)
                      .withPool(4, "podflow-notifier"),
                  settings.databaseWait()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      system.add(ProcessMetrics.bind(registry, database));
      NotifierService notifier =
          new NotifierService(
              database,
              config,
              NotifierService.channels(fcm, email, "podflow-notifier-" + config.notifierId()),
              registry);
      OpsServer ops =
          system.add(
              OpsServer.start(
                  notifier::isAlive, notifier::isReady, registry, settings.metricsPort()));
      system.add(notifier.start());
      log.info(
          "notifier {} ({}) serving /healthz, /readyz and /metrics on port {}",
          config.notifierId(),
          fcm.isEmpty() && email.isEmpty()
              ? "no FCM or SMTP configured: deliveries are logged"
              : Stream.concat(fcm.stream(), email.stream())
                  .map(Object::toString)
                  .collect(Collectors.joining(", ")),
          ops.port());
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }
}
