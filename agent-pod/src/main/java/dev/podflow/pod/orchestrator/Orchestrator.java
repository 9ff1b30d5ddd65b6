package dev.podflow.pod.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of activity; chosen per activity by {@link #name()}. Implementations are found with
 * {@link java.util.ServiceLoader} and must be thread-safe: a pod with several slots calls one
 * instance from several threads.
 *
 * <p>Throw {@link TaskFailedException} to fail the attempt (retryable or not); any other exception
 * counts as a retryable failure. Throw {@link ParkTask} to hand the task to a person instead of
 * finishing it: it waits (WAITING) until the person's answer completes it. Stop promptly when the
 * thread is interrupted: the pod interrupts when the claim is lost or the pod is shutting down.
 */
public interface Orchestrator {
  /** The name activities use in their {@code orchestrator} field. */
  String name();

  /**
   * Runs the task and returns its output, which becomes the next activity's input, or throws {@link
   * ParkTask} to leave the output to a person.
   */
  JsonNode run(TaskContext context) throws Exception;
}
