package dev.podflow.launcher;

import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.OpsServer;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.PodflowException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./podflow COMMAND}: the one entry point of every Podflow process. */
public final class Podflow {
  private static final Logger log = LoggerFactory.getLogger(Podflow.class);

  /** The exit status of a demo refused because another runs on its data directory. */
  static final int EXIT_ALREADY_RUNNING = 3;

  static final String USAGE =
      """
      usage: ./podflow COMMAND

      commands:
        demo      everything in one process: PostgreSQL (embedded unless DATABASE_URL is set),
                  migrations, the API on PODFLOW_HTTP_PORT (8080), two pods and the samples
                  (agent drafts -> a person reviews -> agent finalises; research; greet).
                  The embedded PostgreSQL keeps its data in PODFLOW_DATA_DIR (.podflow/data),
                  which the next demo reuses; one demo at a time per directory (a second one
                  exits with status 3).
          --fresh   delete the embedded PostgreSQL's data first and start over
        migrate   apply the database migrations to DATABASE_URL, then exit
        api       run the execution API against DATABASE_URL
        pod       run an agent pod against DATABASE_URL (metrics on PODFLOW_METRICS_PORT, 8081)
        test      run the whole test suite (handled by the ./podflow script)
        bench     run the benchmark harness (bench/run.sh; ./podflow bench --help)
        help      show this text

      DATABASE_URL takes postgres://user:password@host:5432/db or jdbc:postgresql://host:5432/db.
      Other settings: see README.md, section Configuration.
      """;

  private Podflow() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "help" : args[0];
    Settings settings = new Settings(System.getenv());
    try {
      switch (command) {
        case "demo" -> serveUntilStopped(Demo.start(settings, demoData(args), System.out));
        case "migrate" -> migrate(settings);
        case "api" -> serveUntilStopped(api(settings));
        case "pod" -> serveUntilStopped(pod(settings));
        case "help", "-h", "--help" -> System.out.print(USAGE);
        default -> {
          System.err.print("podflow: unknown command '" + command + "'\n\n" + USAGE);
          System.exit(2);
        }
      }
    } catch (DataDirectoryInUseException e) {
      System.err.println("podflow: " + e.getMessage());
      System.exit(EXIT_ALREADY_RUNNING);
    } catch (PodflowException | UncheckedIOException e) {
      System.err.println("podflow: " + e.getMessage());
      System.exit(2);
    }
  }

  /** {@code demo}'s one option; anything else is a usage error. */
  static EmbeddedDatabase.Data demoData(String[] args) {
    if (args.length == 1) return EmbeddedDatabase.Data.KEEP;
    if (args.length == 2 && args[1].equals("--fresh")) return EmbeddedDatabase.Data.FRESH;
    throw new InvalidConfigurationException(
        "demo takes one option, --fresh, got "
            + String.join(" ", Arrays.asList(args).subList(1, args.length))
            + "\n\n"
            + USAGE);
  }

  static void migrate(Settings settings) {
    try (Database database = Database.connect(settings.database().withPool(2, "podflow-migrate"))) {
      int applied = database.migrate();
      System.out.println(
          "podflow: database is up to date (" + applied + " migration(s) applied now)");
    }
  }

  static RunningSystem api(Settings settings) {
    RunningSystem system = new RunningSystem();
    try {
      Database database = system.add(connectMigrated(settings.database(), settings.databaseWait()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ExecutionApi api = system.add(ExecutionApi.start(database, settings.httpPort(), registry));
      system.apiPort(api.port());
      log.info("execution API listening on port {}", api.port());
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  static RunningSystem pod(Settings settings) {
    RunningSystem system = new RunningSystem();
    try {
      PodConfig config = settings.pod();
      Database database =
          system.add(
              connectMigrated(
                  settings.database().withPool(config.slots() + 2, "podflow-pod"),
                  settings.databaseWait()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      AgentPod pod = new AgentPod(config, database, OrchestratorRegistry.discover(), registry);
      OpsServer ops = system.add(OpsServer.start(pod, registry, settings.metricsPort()));
      system.add(pod.start());
      log.info(
          "pod {} serving /healthz, /readyz and /metrics on port {}", config.podId(), ops.port());
      return system;
    } catch (IOException e) {
      system.close();
      throw new UncheckedIOException(
          "cannot open the metrics port: " + e.getMessage() + " (set PODFLOW_METRICS_PORT)", e);
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  /**
   * Connects, waiting up to {@code patience} for a database that does not answer yet (a pod may
   * start during a restart), and refuses to run on a schema older than this build: that needs
   * './podflow migrate' first.
   */
  static Database connectMigrated(DatabaseConfig config, Duration patience) {
    Database database = Database.connect(config);
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      int pending;
      try {
        pending = database.pendingMigrations();
      } catch (RuntimeException e) {
        if (System.nanoTime() < deadline) {
          log.warn("waiting for the database at {}: {}", config, rootMessage(e));
          pause(Duration.ofSeconds(1));
          continue;
        }
        database.close();
        throw new PodflowException(
            "cannot reach the database at "
                + config
                + " (waited "
                + patience.toSeconds()
                + " s, PODFLOW_DB_WAIT_SECONDS): "
                + rootMessage(e),
            e);
      }
      if (pending > 0) {
        database.close();
        throw new PodflowException(
            "the database at "
                + config
                + " lacks "
                + pending
                + " migration(s) of this build: run './podflow migrate' first");
      }
      return database;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PodflowException("interrupted while waiting for the database");
    }
  }

  /** Blocks until SIGTERM or Ctrl-C, then stops everything in order and exits 0. */
  static void serveUntilStopped(RunningSystem system) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  system.close();
                  stopped.countDown();
                  System.out.flush();
                  Runtime.getRuntime().halt(0);
                },
                "podflow-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return root.getMessage();
  }
}
