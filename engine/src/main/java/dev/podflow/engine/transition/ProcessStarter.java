package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
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
          Optional<UUID> inserted = insert(h, published, command, null);
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
          return new StartResult(instances.instanceGet(inserted.get()).orElseThrow(), true);
        });
  }

  /**
   * Inserts an instance of {@code published}, its first task, their events and the pods' wake-up in
   * the transaction of {@code h}; {@code parentTaskId} names the task whose sub-process it is, if
   * any. Empty when the command's idempotency key already names an instance.
   */
  static Optional<UUID> insert(
      Handle h, PublishedDefinition published, StartCommand command, Long parentTaskId) {
    UUID id = UUID.randomUUID();
    Optional<UUID> inserted =
        h.attach(InstanceDao.class)
            .instanceInsert(
                new NewInstance(
                    id,
                    command.definitionId(),
                    published.version(),
                    command.input(),
                    command.initiator(),
                    command.tenantId(),
                    command.idempotencyKey(),
                    parentTaskId));
    if (inserted.isEmpty()) return inserted;
    EventDao events = h.attach(EventDao.class);
    ObjectNode started =
        Json.object()
            .put("definitionId", command.definitionId())
            .put("definitionVersion", published.version());
    if (parentTaskId != null) started.put("parentTaskId", parentTaskId);
    events.eventAppend(id, null, EventTypes.PROCESS_STARTED, started);
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
                command.input(),
                null));
    events.eventAppend(
        id,
        taskId,
        EventTypes.TASK_QUEUED,
        Json.object().put("activityId", first.id()).put("orchestrator", first.orchestrator()));
    tasks.notifyTasksReady();
    return inserted;
  }
}
