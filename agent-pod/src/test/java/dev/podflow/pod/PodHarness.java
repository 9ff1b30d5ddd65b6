package dev.podflow.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * Starts pods (each with its own connection pool, as separate processes would) and processes for a
 * test.
 */
final class PodHarness implements AutoCloseable {
  final TestDatabase testDb;
  final Database db;
  final DefinitionCatalog catalog;
  final ProcessStarter starter;
  final Engine engine;

  /** Shared by the harness's pods: counters add up across them, gauges carry the pod id. */
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private final List<AgentPod> pods = new ArrayList<>();
  private final List<Database> pools = new ArrayList<>();

  PodHarness(TestDatabase testDb) {
    this.testDb = testDb;
    this.db = testDb.database();
    this.catalog = new DefinitionCatalog(db.jdbi());
    this.starter = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi())).starter();
    this.engine = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi()));
  }

  AgentPod startPod(PodConfig config, Orchestrator... extra) {
    List<Orchestrator> all =
        new ArrayList<>(
            ServiceLoader.load(Orchestrator.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
    all.addAll(List.of(extra));
    Database pool =
        Database.connect(testDb.config().withPool(config.slots() + 2, "pod-" + config.podId()));
    pools.add(pool);
    AgentPod pod = new AgentPod(config, pool, new OrchestratorRegistry(all), metrics).start();
    pods.add(pod);
    return pod;
  }

  UUID start(String definitionId, JsonNode input) {
    return starter
        .start(new StartCommand(definitionId, input, null, null, StartCommand.DEFAULT_TENANT))
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
