package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of activity; chosen per activity by {@link #name()}. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.podflow.engine.orchestrator
 * .Orchestrator}), so each needs a public no-arg constructor. A pod calls {@link #start} once
 * before it claims; after that, {@link #run} must be thread-safe: a pod with several slots calls
 * one instance from several threads.
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
   * Prepares to run tasks with what the pod offers (its database, metrics, clock and settings);
   * called once per pod, before its first claim, and never by the API. A bad setting should fail
   * here, with a message that names it, so the pod does not start. Does nothing by default.
   */
  default void start(PodServices services) {}

  /**
   * Runs the task and returns its output, which becomes the next activity's input, or throws a
   * {@link TaskSuspension}.
   */
  JsonNode run(TaskContext context) throws Exception;
}
