package dev.podflow.engine;

import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.failure.FailurePolicy;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.navigation.Completions;
import dev.podflow.engine.navigation.Navigator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.outbox.Outbox;
import dev.podflow.engine.queue.TaskQueue;
import dev.podflow.engine.queue.TaskRecorder;
import dev.podflow.engine.suspension.Suspensions;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.Notifier;
import org.jdbi.v3.core.Jdbi;

/**
 * The engine, put together: every change of a process's state goes through one of these parts, each
 * in one transaction run by the one {@link TxRunner}.
 *
 * <ul>
 *   <li>{@link #starter()} starts instances; {@link #instances()} cancels and retries them;
 *   <li>{@link #queue()} claims, renews, hands back and rescues tasks;
 *   <li>{@link #completions()} records finished tasks and what follows them ({@link Navigator});
 *   <li>{@link #suspensions()} parks tasks for people, child tasks and sub-processes, and takes
 *       people's answers;
 *   <li>{@link #failures()} retries a failed attempt or ends it DEAD, its instance in ERROR;
 *   <li>{@link #taskRecorder()} records what an orchestrator does while it runs.
 * </ul>
 *
 * Thread-safe; make one per process (or per pod, with the pod's pool and notifier).
 */
public final class Engine {
  private final DefinitionCatalog catalog;
  private final ProcessStarter starter;
  private final InstanceCommands instances;
  private final TaskQueue queue;
  private final Completions completions;
  private final Suspensions suspensions;
  private final FailurePolicy failures;
  private final TaskRecorder taskRecorder;

  /**
   * @param notifier sends every NOTIFY after the transaction that called for it has committed
   */
  public Engine(Jdbi jdbi, DefinitionCatalog catalog, Notifier notifier) {
    TxRunner runner = new TxRunner(jdbi, notifier);
    this.catalog = catalog;
    Outbox outbox = new Outbox();
    this.failures = new FailurePolicy(runner, outbox);
    Navigator navigator = new Navigator(catalog, failures, outbox);
    this.starter = new ProcessStarter(runner, catalog);
    this.instances = new InstanceCommands(runner, failures);
    this.queue = new TaskQueue(runner, catalog, failures);
    this.completions = new Completions(runner, navigator);
    this.suspensions = new Suspensions(runner, catalog, navigator, starter, outbox);
    this.taskRecorder = new TaskRecorder(runner);
  }

  /**
   * An engine that sends its notices on the caller's thread, right after each commit, with a
   * catalog that checks definitions with {@code orchestrators}.
   */
  public static Engine inline(Jdbi jdbi, OrchestratorRegistry orchestrators) {
    return new Engine(jdbi, new DefinitionCatalog(jdbi, orchestrators), Notifier.inline(jdbi));
  }

  public DefinitionCatalog catalog() {
    return catalog;
  }

  public ProcessStarter starter() {
    return starter;
  }

  public InstanceCommands instances() {
    return instances;
  }

  public TaskQueue queue() {
    return queue;
  }

  public Completions completions() {
    return completions;
  }

  public Suspensions suspensions() {
    return suspensions;
  }

  public FailurePolicy failures() {
    return failures;
  }

  public TaskRecorder taskRecorder() {
    return taskRecorder;
  }
}
