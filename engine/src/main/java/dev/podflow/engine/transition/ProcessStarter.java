package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.NewInstance;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.NewTask;
import java.util.List;
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
  private final Notifier notifier;

  /** A starter that wakes pods and SSE followers inline, right after each commit. */
  public ProcessStarter(Jdbi jdbi, DefinitionCatalog catalog) {
    this(jdbi, catalog, Notifier.inline(jdbi));
  }

  /**
   * @param notifier sends the wake-ups after the start commits, never inside it (see {@link
   *     Notifier})
   */
  public ProcessStarter(Jdbi jdbi, DefinitionCatalog catalog, Notifier notifier) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.notifier = notifier;
  }

  public StartResult start(StartCommand command) {
    return jdbi.inTransaction(
        h -> {
          PublishedDefinition published = catalog.latest(h, command.definitionId());
          Optional<ProcessInstance> inserted = insert(h, published, command, null, notifier);
          if (inserted.isEmpty()) {
            InstanceDao instances = h.attach(InstanceDao.class);
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
          return new StartResult(inserted.get(), true);
        });
  }

  /**
   * Inserts an instance of {@code published}, its first task, their events and the pods' wake-up in
   * the transaction of {@code h}; {@code parentTaskId} names the task whose sub-process it is, if
   * any. Empty when the command's idempotency key already names an instance.
   */
  static Optional<ProcessInstance> insert(
      Handle h,
      PublishedDefinition published,
      StartCommand command,
      Long parentTaskId,
      Notifier notifier) {
    ObjectNode started =
        Json.object()
            .put("definitionId", command.definitionId())
            .put("definitionVersion", published.version());
    if (parentTaskId != null) started.put("parentTaskId", parentTaskId);
    // The instance with its process_started event, then the first task with its task_queued event:
    // two statements.
    Optional<ProcessInstance> inserted =
        HotSql.insertStarted(
            h,
            new NewInstance(
                UUID.randomUUID(),
                command.definitionId(),
                published.version(),
                command.input(),
                command.initiator(),
                command.tenantId(),
                command.idempotencyKey(),
                parentTaskId),
            started);
    if (inserted.isEmpty()) return inserted;
    UUID id = inserted.get().id();
    Activity first = published.definition().firstActivity();
    HotSql.insertQueued(
        h,
        new NewTask(
            id,
            first.id(),
            first.orchestrator(),
            first.priority(),
            first.maxAttempts(),
            command.input(),
            null));
    h.afterCommit(
        () ->
            notifier.send(
                List.of(
                    new Notifier.Notification(TaskTransitions.TASKS_CHANNEL, ""),
                    new Notifier.Notification(TaskTransitions.EVENTS_CHANNEL, id.toString()))));
    return inserted;
  }
}
