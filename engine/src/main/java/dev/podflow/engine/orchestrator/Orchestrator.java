package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.UploadCheck;

/**
 * Runs one kind of activity, chosen per activity by {@link #name()}, and owns what there is to know
 * about it: the checks of its config ({@link #checkConfig}, {@link #checkUpload}), its limits, its
 * events. Implementations are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.podflow.engine.orchestrator.Orchestrator}), so each needs a public no-arg
 * constructor: adding a kind of step is one class and one line there. The API only checks
 * definitions with them; a pod calls {@link #start} once before it claims, and after that {@link
 * #run} must be thread-safe: a pod with several slots calls one instance from several threads.
 *
 * <p>Throw {@link TaskFailedException} to fail the attempt (retryable or not); any other exception
 * counts as a retryable failure. Throw a {@link TaskSuspension} to suspend the task instead of
 * finishing it: {@link ParkTask} hands it to a person whose answer completes it, {@link AskPerson}
 * asks a person and runs again with the answer, {@link AwaitChildren} splits it into child tasks
 * and runs again when they are done, {@link StartSubprocess} completes it with a sub-process's
 * output. Stop promptly when the thread is interrupted: the pod interrupts when the claim is lost
 * or the pod is shutting down.
 */
public interface Orchestrator {
  /** The name activities use in their {@code orchestrator} field. */
  String name();

  /**
   * Checks an activity's config when a definition is published (by the API, and by anything that
   * publishes through {@link dev.podflow.engine.definition.DefinitionCatalog}), reporting each
   * problem to {@code check} with a pointer relative to the config. Must not look at stored data
   * (that is {@link #checkUpload}) nor need {@link #start}. Accepts any config by default, for
   * orchestrators that read none. Definitions already stored are never judged again, so a check may
   * tighten without making running versions unreadable.
   */
  default void checkConfig(ConfigCheck check) {}

  /**
   * Checks what an activity's config names against stored data (agents, definitions) when a
   * definition is uploaded through the API, inside the transaction that would store it; runs only
   * for configs that passed {@link #checkConfig}. Checks nothing by default.
   */
  default void checkUpload(UploadCheck check) {}

  /**
   * Prepares to run tasks with what the pod offers (its database, metrics, clock and settings);
   * called once per pod, before its first claim, and never by the API. A bad setting should fail
   * here, with a message that names it, so the pod does not start. Does nothing by default.
   */
  default void start(PodServices services) {}

  /**
   * Undoes outside what a task of this orchestrator started, after its process was cancelled: the
   * {@code onCancel} object the orchestrator put in the state it saved ({@link PollLater}, {@link
   * AskPerson}), e.g. the A2A peer task to cancel. A pod calls it after the cancel committed, from
   * an outbox ({@code task_cleanups}); it is tried again with backoff while it throws, so it must
   * bear being called more than once. Does nothing by default.
   */
  default void cleanUp(String tenantId, JsonNode onCancel) throws Exception {}

  /**
   * Runs the task and returns its output, which becomes the next activity's input, or throws a
   * {@link TaskSuspension}.
   */
  JsonNode run(TaskContext context) throws Exception;
}
