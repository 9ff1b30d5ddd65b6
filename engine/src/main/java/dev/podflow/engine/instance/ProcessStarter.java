package dev.podflow.engine.instance;

import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.tx.EventWriter;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.HotSql;
import dev.podflow.store.instance.NewInstance;
import dev.podflow.store.instance.ProcessInstance;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts process instances: the instance row, its first task and their events commit together, and
 * the pods are woken after the commit. Takes no locks on existing rows (an idempotency key that is
 * taken is found through its unique index). Thread-safe.
 */
public final class ProcessStarter {
  private final TxRunner runner;
  private final DefinitionCatalog catalog;

  public ProcessStarter(TxRunner runner, DefinitionCatalog catalog) {
    this.runner = runner;
    this.catalog = catalog;
  }

  /**
   * Starts the latest version of the command's definition in the command's tenant; with an
   * idempotency key that already names an instance, returns that one (not {@code created}) when it
   * was started with the same definition and input.
   *
   * @throws IdempotencyKeyReusedException when the key names an instance started otherwise
   * @throws dev.podflow.engine.definition.DefinitionNotFoundException when there is no such
   *     definition in the command's tenant (another tenant's counts as none)
   */
  public StartResult start(StartCommand command) {
    return runner.inTransaction(
        tx -> {
          PublishedDefinition published =
              catalog.latest(tx.handle(), command.tenantId(), command.definitionId());
          Optional<ProcessInstance> inserted = insert(tx, published, command, null);
          if (inserted.isPresent()) return new StartResult(inserted.get(), true);
          ProcessInstance existing =
              tx.instances()
                  .instanceGetByIdempotencyKey(command.tenantId(), command.idempotencyKey())
                  .orElseThrow();
          if (!tx.instances()
              .instanceMatchesRequest(existing.id(), command.definitionId(), command.input())) {
            throw new IdempotencyKeyReusedException(command.idempotencyKey(), existing.id());
          }
          return new StartResult(existing, false);
        });
  }

  /**
   * Inserts an instance of {@code published}, its first task, their events and the pods' wake-up in
   * {@code tx}; {@code parentTaskId} names the task whose sub-process it is, if any. Empty when the
   * command's idempotency key already names an instance.
   */
  public Optional<ProcessInstance> insert(
      QueueTx tx, PublishedDefinition published, StartCommand command, Long parentTaskId) {
    // The instance with its process_started event, then the first task with its task_queued event:
    // two statements.
    Optional<ProcessInstance> inserted =
        HotSql.insertStarted(
            tx.handle(),
            new NewInstance(
                UUID.randomUUID(),
                command.definitionId(),
                published.version(),
                command.input(),
                command.initiator(),
                command.tenantId(),
                command.idempotencyKey(),
                parentTaskId),
            EventWriter.processStarted(
                command.definitionId(), published.version(), parentTaskId, command.by()));
    if (inserted.isEmpty()) return inserted;
    UUID id = inserted.get().id();
    Activity first = published.definition().firstActivity();
    HotSql.insertQueued(tx.handle(), first.newTask(id, command.input()));
    tx.afterCommit(Notice.tasksReady());
    tx.afterCommit(Notice.newEvents(id));
    return inserted;
  }
}
