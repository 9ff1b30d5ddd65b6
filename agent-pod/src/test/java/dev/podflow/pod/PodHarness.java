package dev.podflow.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * Starts pods (each with its own connection pool, as separate processes would, acting as the pods'
 * database role {@code podflow_pod} under row-level security) and processes for a test. Every pod
 * runs the orchestrators on the class path plus the test's own, which definitions published through
 * {@link #catalog} may name too.
 */
final class PodHarness implements AutoCloseable {
  final TestDatabase testDb;
  final Database db;
  final DefinitionCatalog catalog;
  final ProcessStarter starter;
  final Engine engine;
  final EventLog events;

  /** Shared by the harness's pods: counters add up across them, gauges carry the pod id. */
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private final List<Orchestrator> testOrchestrators;
  private final List<AgentPod> pods = new ArrayList<>();
  private final List<Database> pools = new ArrayList<>();

  /**
   * @param testOrchestrators the test's own orchestrators, shared by every pod of the harness
   */
  PodHarness(TestDatabase testDb, Orchestrator... testOrchestrators) {
    this.testDb = testDb;
    this.db = testDb.database();
    this.testOrchestrators = List.of(testOrchestrators);
    this.catalog = new DefinitionCatalog(db.jdbi(), orchestrators());
    this.starter = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi())).starter();
    this.engine = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi()));
    this.events = new EventLog(testDb);
  }

  AgentPod startPod(PodConfig config) {
    return startPod(config, testDb.config());
  }

  /** A pod whose pool goes to {@code target} (e.g. a pooler's), sized as the launcher sizes it. */
  AgentPod startPod(PodConfig config, DatabaseConfig target) {
    Database pool =
        Database.connect(
            target
                .withRole(DatabaseRole.POD)
                .withPool(config.slots() + 2, "pod-" + config.podId()));
    pools.add(pool);
    pool.checkRole();
    AgentPod pod = new AgentPod(config, pool, orchestrators(), metrics).start();
    pods.add(pod);
    return pod;
  }

  /** The plug-ins on the class path (new instances) and the test's own orchestrators. */
  private OrchestratorRegistry orchestrators() {
    List<Orchestrator> all = new ArrayList<>(testOrchestrators);
    ServiceLoader.load(Orchestrator.class).forEach(all::add);
    return new OrchestratorRegistry(all);
  }

  /**
   * Stores a definition in tenant {@code default} as an older Podflow may have left it, without the
   * plug-ins' checks: an orchestrator no plug-in provides any more, a config a check refuses today.
   */
  void storeUnchecked(JsonNode definition) {
    String id = definition.get("id").asText();
    db.jdbi()
        .useTransaction(
            x ->
                x.attach(DefinitionDao.class)
                    .definitionInsertNextVersion(StartCommand.DEFAULT_TENANT, id, id, definition));
  }

  UUID start(String definitionId, JsonNode input) {
    return starter
        .start(new StartCommand(definitionId, input, null, null, StartCommand.DEFAULT_TENANT, null))
        .instance()
        .id();
  }

  UUID start(String definitionId) {
    return start(definitionId, Json.object().put("n", 1));
  }

  List<Task> tasksOf(UUID instance) {
    return db.jdbi().withHandle(h -> h.attach(TaskDao.class).taskListByInstance(instance));
  }

  long count(String sql) {
    return testDb.number(sql);
  }

  String text(String sql) {
    return testDb.text(sql);
  }

  String instanceStatus(UUID id) {
    return testDb.instanceStatus(id);
  }

  /** Pretends time passed: every running lease of the task is already expired. */
  void expireLease(long taskId) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE todolist SET lease_expires_at = now() - interval '1 second' WHERE id = :id")
                    .bind("id", taskId)
                    .execute());
  }

  @Override
  public void close() {
    pods.forEach(AgentPod::stop);
    pools.forEach(Database::close);
  }
}
