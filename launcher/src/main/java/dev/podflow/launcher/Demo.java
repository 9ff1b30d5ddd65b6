package dev.podflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.agents.AgentOrchestrators;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.pod.orchestrator.Orchestrator;
import dev.podflow.pod.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code ./podflow demo}: PostgreSQL (embedded unless {@code DATABASE_URL} is set), migrations, the
 * API, two pods and the sample definition {@code greet}, in one process.
 */
final class Demo {
  static final String SAMPLE = "/samples/greet.json";
  static final int PODS = 2;

  private Demo() {}

  static RunningSystem start(Settings settings, PrintStream out) {
    RunningSystem system = new RunningSystem();
    try {
      DatabaseConfig config = settings.databaseOrNull();
      String where;
      if (config == null) {
        out.println(
            "podflow: starting an embedded PostgreSQL (set DATABASE_URL to use your own) ...");
        config = system.add(EmbeddedDatabase.start()).config();
        where = "embedded PostgreSQL";
      } else {
        where = "the database in DATABASE_URL";
      }
      Database database = system.add(Database.connect(config.withPool(10, "podflow-demo")));
      database.migrate();
      publishSample(database);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ExecutionApi api = system.add(ExecutionApi.start(database, settings.httpPort(), registry));
      system.apiPort(api.port());
      PodConfig podConfig = settings.pod();
      List<Orchestrator> llmOrchestrators =
          AgentOrchestrators.create(settings.llm(), database.jdbi(), registry);
      for (int i = 1; i <= PODS; i++) {
        Database pool =
            system.add(
                Database.connect(config.withPool(podConfig.slots() + 2, "podflow-demo-pod-" + i)));
        PodConfig named = podConfig.withPodId("demo-pod-" + i);
        system.add(
            new AgentPod(
                    named, pool, OrchestratorRegistry.discover().with(llmOrchestrators), registry)
                .start());
      }
      printWelcome(out, api.port(), where);
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  /** Publishes the sample unless its latest stored version already matches. */
  private static void publishSample(Database database) {
    JsonNode sample = readSample();
    DefinitionCatalog catalog = new DefinitionCatalog(database.jdbi());
    try {
      var latest = catalog.latest("greet").definition();
      if (latest.equals(new DefinitionParser().parse(sample))) return;
    } catch (DefinitionNotFoundException e) {
      // first run against this database
    }
    catalog.publish(sample);
  }

  private static JsonNode readSample() {
    try (InputStream in = Demo.class.getResourceAsStream(SAMPLE)) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the sample definition " + SAMPLE + " is missing from the build", e);
    }
  }

  private static void printWelcome(PrintStream out, int port, String where) {
    String base = "http://localhost:" + port;
    out.println();
    out.println("Podflow demo is running: " + where + ", API on " + base + ", " + PODS + " pods.");
    out.println();
    out.println("Start the sample process 'greet' (receive -> think for a second -> answer):");
    out.println(
        "  curl -s -X POST "
            + base
            + "/api/v1/processes -H 'Content-Type: application/json' -d '{\"definitionId\":\"greet\",\"input\":{\"name\":\"Ada\"}}'");
    out.println(
        "Watch it live, then look at the result (put the id printed above in place of ID):");
    out.println("  curl -N " + base + "/api/v1/processes/ID/events -H 'Accept: text/event-stream'");
    out.println("  curl -s " + base + "/api/v1/processes/ID");
    out.println("Metrics: " + base + "/metrics   Press Ctrl-C to stop.");
    out.println();
    out.flush();
  }
}
