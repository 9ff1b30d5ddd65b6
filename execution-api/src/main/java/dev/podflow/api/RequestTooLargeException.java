package dev.podflow.api;

import dev.podflow.store.PodflowException;

/** A request body over its route's {@link BodyLimit}. */
class RequestTooLargeException extends PodflowException {
  RequestTooLargeException(String message) {
    super(message);
  }
}
