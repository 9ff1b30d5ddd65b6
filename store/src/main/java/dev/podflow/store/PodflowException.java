package dev.podflow.store;

/**
 * The root of every failure Podflow raises on purpose. Subclasses are named for the failure, and
 * their messages carry the ids and states needed to understand it.
 */
public class PodflowException extends RuntimeException {
  public PodflowException(String message) {
    super(message);
  }

  public PodflowException(String message, Throwable cause) {
    super(message, cause);
  }
}
