package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.event.Event;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the llm-action tests share: one pod per test running the real langchain4j OpenAI client
 * against a scripted local endpoint ({@link ScriptedLlmServer}), agents stored in the default
 * tenant, and one-step processes started through the engine.
 */
@ExtendWith(PodflowDatabaseExtension.class)
abstract class LlmStepTestBase {
  static final Duration PATIENCE = Duration.ofSeconds(20);
  static ScriptedLlmServer llm;

  TestDatabase testDb;
  AgentPod pod;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeAll
  static void startServer() {
    llm = ScriptedLlmServer.start();
  }

  @AfterAll
  static void stopServer() {
    llm.close();
  }

  @AfterEach
  void stopPod() {
    if (pod != null) pod.stop();
    llm.reset();
  }

  void startPod(TestDatabase db, Map<String, String> llmSettings) {
    this.testDb = db;
    pod =
        new AgentPod(
                PodConfig.defaults("llm-pod").withSettings(llmSettings),
                db.database(),
                OrchestratorRegistry.discover(),
                metrics)
            .start();
  }

  void startPod(TestDatabase db) {
    startPod(db, llm.podSettings(3));
  }

  /** Stores an agent in the default tenant; each tool is a name or a tool entry object. */
  void agent(String id, String model, Object... tools) {
    testDb
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.attach(AgentDao.class)
                    .agentUpsert(
                        StartCommand.DEFAULT_TENANT,
                        id,
                        "Writer " + id,
                        "You are a careful clerk.",
                        "Keep it short.",
                        model,
                        Json.MAPPER.valueToTree(List.of(tools)),
                        "llm-action",
                        null,
                        null));
  }

  /** Starts a process of one llm-action step with {@code config}. */
  UUID run(ObjectNode config, JsonNode input, int maxAttempts) {
    ObjectNode definition = Json.object().put("id", "llm");
    ObjectNode activity =
        definition
            .putArray("activities")
            .addObject()
            .put("id", "draft")
            .put("orchestrator", "llm-action")
            .put("maxAttempts", maxAttempts);
    activity.set("config", config);
    return start(definition, input);
  }

  /** Publishes {@code definition} (with fast retries) in the default tenant and starts it. */
  UUID start(ObjectNode definition, JsonNode input) {
    Engine engine = engine();
    engine
        .catalog()
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.withFastRetries(definition));
    return engine
        .starter()
        .start(
            new StartCommand(
                definition.get("id").asText(),
                input,
                null,
                null,
                StartCommand.DEFAULT_TENANT,
                null))
        .instance()
        .id();
  }

  Engine engine() {
    DefinitionCatalog catalog =
        new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover());
    return new Engine(testDb.database().jdbi(), catalog, Notifier.inline(testDb.database().jdbi()));
  }

  /** Waits until the instance's task waits for a person, and returns it. */
  Task awaitWaiting(UUID instance) {
    Eventually.await(
        PATIENCE,
        "the task waits for a person",
        () -> testDb.instanceStatus(instance).equals("WAITING"));
    return task(instance);
  }

  String awaitFinished(UUID instance) {
    Eventually.await(
        PATIENCE,
        "instance finished",
        () -> List.of("COMPLETED", "ERROR").contains(testDb.instanceStatus(instance)));
    return testDb.instanceStatus(instance);
  }

  Task task(UUID instance) {
    return testDb
        .database()
        .jdbi()
        .withHandle(h -> h.attach(TaskDao.class).taskListByInstance(instance))
        .getFirst();
  }

  List<Event> events(UUID instance, String type) {
    return new EventLog(testDb).of(instance, type);
  }

  static ObjectNode config(String agent, String prompt) {
    return Json.object().put("agent", agent).put("prompt", prompt);
  }

  static ObjectNode personSchema() {
    ObjectNode schema = Json.object().put("type", "object");
    schema.putArray("required").add("name").add("age");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("name").put("type", "string");
    properties.putObject("age").put("type", "integer").put("minimum", 0);
    return schema;
  }
}
