package dev.podflow.engine.transition;

import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.store.Json;
import dev.podflow.store.event.EventDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.NewInstance;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.TaskDao;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Starts process instances: the instance row, its first task, the events and the pods' wake-up
 * commit together. Thread-safe.
 */
public final class ProcessStarter {
  private final Jdbi jdbi;
  private final DefinitionCatalog catalog;

  public ProcessStarter(Jdbi jdbi, DefinitionCatalog catalog) {
    this.jdbi = jdbi;
    this.catalog = catalog;
  }

  public StartResult start(StartCommand command) {
    return jdbi.inTransaction(
        h -> {
          PublishedDefinition published = catalog.latest(h, command.definitionId());
          InstanceDao instances = h.attach(InstanceDao.class);
          UUID id = UUID.randomUUID();
          var inserted =
              instances.instanceInsert(
                  new NewInstance(
                      id,
                      command.definitionId(),
                      published.version(),
                      command.input(),
                      command.initiator(),
                      command.tenantId(),
                      command.idempotencyKey()));
          if (inserted.isEmpty()) {
            ProcessInstance existing =
                instances
                    .instanceGetByIdempotencyKey(command.tenantId(), command.idempotencyKey())
                    .orElseThrow();
            if (!instances.instanceMatchesRequest(
                existing.id(), command.definitionId(), command.input())) {
              throw new IdempotencyKeyReusedException(command.idempotencyKey(), existing.id());
            }
            return new StartResult(existing, false);
          }
          EventDao events = h.attach(EventDao.class);
          events.eventAppend(
              id,
              null,
              EventTypes.PROCESS_STARTED,
              Json.object()
                  .put("definitionId", command.definitionId())
                  .put("definitionVersion", published.version()));
          Activity first = published.definition().firstActivity();
          TaskDao tasks = h.attach(TaskDao.class);
          long taskId =
              tasks.taskInsert(
                  new NewTask(
                      id,
                      first.id(),
                      first.orchestrator(),
                      first.priority(),
                      first.maxAttempts(),
                      command.input()));
          events.eventAppend(
              id,
              taskId,
              EventTypes.TASK_QUEUED,
              Json.object()
                  .put("activityId", first.id())
                  .put("orchestrator", first.orchestrator()));
          tasks.notifyTasksReady();
          return new StartResult(instances.instanceGet(id).orElseThrow(), true);
        });
  }
}
