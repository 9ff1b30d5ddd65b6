package dev.podflow.engine.instance;

import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.tx.EventWriter;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.HotSql;
import dev.podflow.store.instance.NewInstance;
import dev.podflow.store.instance.ProcessInstance;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts process instances: the instance row, its first task and their events commit together, and
 * the pods are woken after the commit. An input that breaks the definition version's {@code
 * inputSchema} is refused before anything is written. Takes no locks on existing rows (an
 * idempotency key that is taken is found through its unique index). Thread-safe.
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
   * @throws InvalidProcessInputException when the input does not fit the latest version's {@code
   *     inputSchema} and the key (if any) names no instance yet
   * @throws dev.podflow.engine.definition.DefinitionNotFoundException when there is no such
   *     definition in the command's tenant (another tenant's counts as none)
   */
  public StartResult start(StartCommand command) {
    return runner.inTransaction(
        tx -> {
          PublishedDefinition published =
              catalog.latest(tx.handle(), command.tenantId(), command.definitionId());
          Optional<ProcessInstance> inserted;
          try {
            inserted = insert(tx, published, command, null);
          } catch (InvalidProcessInputException misfit) {
            // A repeat of a start made before a stricter version was published still answers it.
            return repeat(tx, command).orElseThrow(() -> misfit);
          }
          if (inserted.isPresent()) return new StartResult(inserted.get(), true);
          return repeat(tx, command).orElseThrow();
        });
  }

  /** The instance the command's idempotency key already started, if any. */
  private static Optional<StartResult> repeat(QueueTx tx, StartCommand command) {
    if (command.idempotencyKey() == null) return Optional.empty();
    return tx.instances()
        .instanceGetByIdempotencyKey(command.tenantId(), command.idempotencyKey())
        .map(
            existing -> {
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
   *
   * @throws InvalidProcessInputException when the input does not fit {@code published}'s {@code
   *     inputSchema}; nothing is written
   */
  public Optional<ProcessInstance> insert(
      QueueTx tx, PublishedDefinition published, StartCommand command, Long parentTaskId) {
    checkInput(published, command);
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

  private static void checkInput(PublishedDefinition published, StartCommand command) {
    if (published.definition().inputSchema() == null) return;
    List<FormSchema.Violation> violations =
        FormSchema.validate(published.definition().inputSchema(), command.input());
    if (!violations.isEmpty()) {
      throw new InvalidProcessInputException(
          command.definitionId(), published.version(), violations);
    }
  }
}
