package dev.podflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.agents.LlmConfig;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.McpConfigFile;
import dev.podflow.notifier.NotifierService;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import dev.podflow.store.PoolMetrics;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.secret.SecretCipher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./podflow demo}: PostgreSQL (embedded, its data kept in {@code PODFLOW_DATA_DIR} across
 * restarts, unless {@code DATABASE_URL} is set), migrations, the API, two pods, a notifier (which
 * logs the deliveries it would make unless FCM is configured), the demo agent {@code demo-writer}
 * and the sample definitions {@code draft-review-finalise} (agent drafts, a person reviews in the
 * inbox, agent finalises), {@code research} (deep research fanned out as child tasks over the
 * pods), {@code greet} and {@code add-with-mcp} (a tool of an MCP server, {@link DemoMcp}), {@code
 * delegate-check} (A2A, {@link DemoA2a}) and {@code ask-support} (an agent that learns from
 * feedback, {@link DemoMemory}), in one process.
 */
final class Demo {
  static final String THREE_STEP = "draft-review-finalise";
  static final List<String> SAMPLES =
      List.of(
          "/samples/" + THREE_STEP + ".json",
          "/samples/research.json",
          "/samples/greet.json",
          "/samples/" + DemoMcp.SAMPLE + ".json",
          "/samples/" + DemoA2a.AGENT_SAMPLE + ".json",
          "/samples/" + DemoA2a.SAMPLE + ".json",
          "/samples/" + DemoMemory.SAMPLE + ".json");
  static final String DEMO_AGENT = "demo-writer";
  static final String REVIEWER = "reviewer";
  static final int PODS = 2;

  private Demo() {}

  /**
   * @param data what an embedded PostgreSQL does with the data an earlier demo left ({@code
   *     --fresh}: deletes it); refused with {@code DATABASE_URL}, whose data is not the demo's
   */
  static RunningSystem start(Settings settings, EmbeddedDatabase.Data data, PrintStream out) {
    // A bad PODFLOW_LLM_*, PODFLOW_JWT_* or PODFLOW_CORS_ORIGINS stops the demo before anything
    // starts (the pods' llm-action and deep-research read the same settings when they start).
    LlmConfig llm = LlmConfig.fromEnvironment(settings.environment());
    // The API checks tenants' MCP servers against the catalogue and allowlist the pods get.
    Map<String, String> shared =
        DemoA2a.settings(DemoMcp.settings(settings.environment(), settings.dataDir()));
    ApiSettings apiSettings =
        settings
            .api()
            .withMcpAdmission(McpAdmission.fromEnvironment(new Environment(shared)))
            .withSecrets(SecretCipher.fromEnvironment(shared));
    DatabaseConfig config = settings.databaseOrNull();
    if (config != null && data == EmbeddedDatabase.Data.FRESH) {
      throw new InvalidConfigurationException(
          "--fresh deletes the embedded PostgreSQL's data, but DATABASE_URL is set: the demo"
              + " runs on that database and leaves its data alone; unset DATABASE_URL or drop"
              + " --fresh");
    }
    RunningSystem system = new RunningSystem();
    try {
      String where;
      if (config == null) {
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        out.println(
            "podflow: starting an embedded PostgreSQL with its data in "
                + dir
                + (data == EmbeddedDatabase.Data.FRESH ? " (deleted first: --fresh)" : "")
                + " (set DATABASE_URL to use your own) ...");
        EmbeddedDatabase embedded =
            system.add(EmbeddedDatabase.start(dir, 0, serverLog(dir), data));
        config = embedded.config(10, "podflow");
        where =
            "embedded PostgreSQL (data kept in "
                + dir
                + " for the next demo; './podflow demo --fresh' starts over)";
      } else {
        where = "the database in DATABASE_URL";
      }
      Database database = system.add(Database.connect(config.withPool(10, "podflow-demo")));
      database.migrate();
      seedDemoAgent(database);
      DemoMemory.seedAgent(database);
      DemoKeys keys = DemoKeys.issue(database);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      system.add(ProcessMetrics.bind(registry, database));
      ExecutionApi api = system.add(ExecutionApi.start(database, registry, apiSettings));
      system.apiPort(api.port());
      // The A2A sample's agent points at this API's port, so it is set up once the API listens.
      DemoA2a.setUp(database, api.port(), apiSettings.secrets().orElseThrow());
      publishSamples(database);
      PodConfig podConfig = settings.pod().withSettings(shared);
      for (int i = 1; i <= PODS; i++) {
        Database pool =
            system.add(
                Database.connect(
                    config
                        .withRole(DatabaseRole.POD)
                        .withPool(podConfig.slots() + 2, "podflow-demo-pod-" + i)));
        PoolMetrics.bind(pool, registry);
        PodConfig named = podConfig.withPodId("demo-pod-" + i);
        system.add(new AgentPod(named, pool, OrchestratorRegistry.discover(), registry).start());
      }
      // With no PODFLOW_FCM_* or PODFLOW_SMTP_* set, the notifier logs each delivery it would make.
      Database notifierPool =
          system.add(
              Database.connect(
                  config.withRole(DatabaseRole.NOTIFIER).withPool(2, "podflow-demo-notifier")));
      system.add(
          new NotifierService(
                  notifierPool,
                  settings.notifier(),
                  NotifierService.channels(
                      settings.fcm(), settings.email(), "podflow-demo-notifier"),
                  registry)
              .start());
      boolean mcpReady = shared.containsKey(McpConfigFile.SETTING);
      printWelcome(
          out, api.port(), api.metricsPort().orElse(api.port()), where, llm, keys, mcpReady);
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  /** A printed curl line that POSTs JSON {@code body} to {@code url} with header {@code auth}. */
  static String curlPost(String url, String auth, String body) {
    return "  curl -s -X POST "
        + url
        + auth
        + " -H 'Content-Type: application/json' -d '"
        + body
        + "'";
  }

  /** A curl header sending {@code key}. */
  private static String bearer(String key) {
    return " -H 'Authorization: Bearer " + key + "'";
  }

  /** PostgreSQL's own log, beside its data directory: {@code data.log} for {@code data}. */
  static Path serverLog(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /**
   * Creates the agent the three-step sample uses in the demo's tenant ({@link DemoKeys#TENANT}, the
   * tenant of the keys it prints), unless the tenant has an agent with its id (a profile changed
   * with {@code POST /api/v1/agents} is kept across restarts). A data directory from before
   * definitions and agents were per tenant holds it in {@code default}; it is created in the demo's
   * tenant on the next start.
   */
  static void seedDemoAgent(Database database) {
    seedAgent(
        database,
        DEMO_AGENT,
        "Demo writer",
        "You are a concise business writer: clear, friendly, plain English, no jargon.",
        "Keep every text under 120 words unless asked otherwise. Answer with the text itself,"
            + " without a preamble or notes about what you did.");
  }

  /** Creates llm-action agent {@code id} in the demo's tenant, unless the tenant has one. */
  static void seedAgent(
      Database database, String id, String name, String persona, String instructions) {
    database
        .jdbi()
        .useTransaction(
            h -> {
              AgentDao agents = h.attach(AgentDao.class);
              if (agents.agentGet(DemoKeys.TENANT, id).isPresent()) return;
              agents.agentUpsert(
                  DemoKeys.TENANT,
                  id,
                  name,
                  persona,
                  instructions,
                  null,
                  Json.MAPPER.createArrayNode(),
                  "llm-action",
                  null,
                  null);
            });
  }

  /**
   * Publishes each sample in the demo's tenant ({@link DemoKeys#TENANT}) unless the tenant's latest
   * stored version already matches.
   */
  static void publishSamples(Database database) {
    DefinitionPublisher publisher = new DefinitionPublisher(database);
    for (String resource : SAMPLES) {
      publisher.publish(DemoKeys.TENANT, DemoKeys.ACTOR, readSample(resource));
    }
  }

  private static JsonNode readSample(String resource) {
    try (InputStream in = Demo.class.getResourceAsStream(resource)) {
      if (in == null) throw new IOException("not on the class path");
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the sample definition " + resource + " is missing from the build", e);
    }
  }

  private static void printWelcome(
      PrintStream out,
      int port,
      int metricsPort,
      String where,
      LlmConfig llm,
      DemoKeys keys,
      boolean mcpReady) {
    String base = "http://localhost:" + port;
    String admin = bearer(keys.admin());
    String reviewer = bearer(keys.reviewer());
    out.println();
    out.println("Podflow demo is running: " + where + ", API on " + base + ", " + PODS + " pods.");
    if (llm.isOffline()) {
      out.println(
          "LLM: none configured, so agent steps run the built-in OFFLINE model. It is NOT a real"
              + " LLM:");
      out.println(
          "     it answers '[offline model] ' plus the start of its prompt, and its calls say"
              + " model \"offline\".");
      out.println(
          "     For a real model restart with PODFLOW_LLM_API_KEY=sk-... (OpenAI),"
              + " PODFLOW_LLM_BASE_URL=... (any");
      out.println(
          "     OpenAI-compatible endpoint) or PODFLOW_LLM_PROVIDER=ollama (a local Ollama).");
    } else {
      out.println("LLM: model " + llm.model() + " at " + llm.baseUrl() + ".");
    }
    out.println();
    out.println(
        "API keys, new at every start (stored hashed, shown only now): an admin of tenant '"
            + DemoKeys.TENANT
            + "' and the reviewer, a user; each line below carries the one it needs.");
    out.println("  admin:    " + keys.admin());
    out.println("  reviewer: " + keys.reviewer());
    out.println();
    out.println("The web console: open " + base + "/ in a browser and sign in with the admin key");
    out.println("(the reviewer's key shows the reviewer's inbox). Or, with curl:");
    out.println();
    out.println(
        "1) Agent drafts -> a person reviews in the inbox (back to the draft until approved)"
            + " -> agent finalises ('"
            + THREE_STEP
            + "', agent '"
            + DEMO_AGENT
            + "').");
    out.println("   Start it:");
    out.println(
        curlPost(
            base + "/api/v1/processes",
            admin,
            "{\"definitionId\":\""
                + THREE_STEP
                + "\",\"input\":{\"topic\":\"our new support hours, 8:00 to 20:00 on weekdays\"}}"));
    out.println(
        "   Watch it live (put the process id printed above in place of ID; the stream waits at"
            + " the review):");
    out.println(
        "  curl -N "
            + base
            + "/api/v1/processes/ID/events"
            + admin
            + " -H 'Accept: text/event-stream'");
    out.println("   In another terminal, the reviewer's inbox:");
    out.println(
        "  curl -s '"
            + base
            + "/api/v1/tasks?status=WAITING&assignee="
            + REVIEWER
            + "'"
            + reviewer);
    out.println(
        "   Answer the review (put the task's id from the inbox in place of TASK; with"
            + " \"approved\": false the draft goes back to the agent for another pass):");
    out.println(
        curlPost(
            base + "/api/v1/tasks/TASK/complete",
            reviewer,
            "{\"output\":{\"approved\":true,\"comments\":\"Friendlier, and add a"
                + " contact address.\"}}"));
    out.println("   The result (the output is the finalised text):");
    out.println("  curl -s " + base + "/api/v1/processes/ID" + admin);
    out.println();
    out.println(
        "2) Deep research: a planner splits the question into sub-questions, child tasks both pods"
            + " work on, then a critic and a writer:");
    out.println(
        curlPost(
            base + "/api/v1/processes",
            admin,
            "{\"definitionId\":\"research\",\"input\":{\"question\":\"How do"
                + " PostgreSQL job queues avoid double work?\"}}"));
    out.println(
        "   Its tasks, children with parentTaskId and the pod that ran each (claimedBy), and the"
            + " report:");
    out.println("  curl -s " + base + "/api/v1/processes/ID" + admin);
    out.println();
    out.println("3) The simplest sample, 'greet' (receive -> think for a second -> answer):");
    out.println(
        curlPost(
            base + "/api/v1/processes",
            admin,
            "{\"definitionId\":\"greet\",\"input\":{\"name\":\"Ada\"}}"));
    out.println();
    if (mcpReady) {
      out.println(
          "4) A tool of an MCP server: '"
              + DemoMcp.SAMPLE
              + "' calls get-sum of the reference server 'everything' (stdio, started by the pods);"
              + " its output is the sum, its events an mcp_call:");
      out.println(
          curlPost(
              base + "/api/v1/processes",
              admin,
              "{\"definitionId\":\"" + DemoMcp.SAMPLE + "\",\"input\":{\"a\":2,\"b\":40}}"));
    } else {
      out.println(
          "4) The MCP sample '"
              + DemoMcp.SAMPLE
              + "' is not set up: it needs Node 20+ on PATH (./podflow demo then installs the"
              + " reference MCP server with scripts/install-npm-tools.sh). Without it its step fails"
              + " with \"no MCP server 'everything'\".");
    }
    out.println(
        "5) Podflow is an MCP server too: point an MCP client (streamable HTTP) at "
            + base
            + "/mcp with the header 'Authorization: Bearer "
            + keys.reviewer()
            + "' to list and start processes and answer the reviewer's tasks (README: Podflow as"
            + " an MCP server).");
    out.println(
        "6) Agent to agent: '"
            + DemoA2a.SAMPLE
            + "' hands a clause over A2A to '"
            + DemoA2a.AGENT_SAMPLE
            + "', which this demo publishes as an A2A agent (card: "
            + base
            + "/a2a/"
            + DemoKeys.TENANT
            + "/"
            + DemoA2a.AGENT_SAMPLE
            + "/.well-known/agent-card.json):");
    out.println(
        curlPost(
            base + "/api/v1/processes",
            admin,
            "{\"definitionId\":\""
                + DemoA2a.SAMPLE
                + "\",\"input\":{\"clause\":\"Payment is due 90 days after delivery.\"}}"));
    DemoMemory.printWelcome(out, base, admin);
    out.println();
    out.println("Metrics: http://localhost:" + metricsPort + "/metrics   Press Ctrl-C to stop.");
    out.println();
    out.flush();
  }
}
