package dev.podflow.api;

import dev.podflow.store.PodflowException;

/** The process runs but cannot serve requests yet (the database does not answer). */
class NotReadyException extends PodflowException {
  NotReadyException(String message) {
    super(message);
  }
}
