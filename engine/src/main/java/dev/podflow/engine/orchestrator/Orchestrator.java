package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of activity; chosen per activity by {@link #name()}. Implementations are found with
 * {@link java.util.ServiceLoader} and must be thread-safe: a pod with several slots calls one
 * instance from several threads.
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
   * Runs the task and returns its output, which becomes the next activity's input, or throws a
   * {@link TaskSuspension}.
   */
  JsonNode run(TaskContext context) throws Exception;
}
