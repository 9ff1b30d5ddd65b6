package dev.podflow.api;

import dev.podflow.store.PodflowException;

/** A request body could not be parsed as JSON; the message says where parsing stopped. */
class MalformedJsonException extends PodflowException {
  MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
