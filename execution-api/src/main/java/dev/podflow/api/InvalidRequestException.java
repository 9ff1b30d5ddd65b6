package dev.podflow.api;

import dev.podflow.store.PodflowException;

/**
 * A request is well-formed JSON (or has no body) but a field, path segment, query parameter or
 * header is missing or wrong; the message names which one and what is expected.
 */
class InvalidRequestException extends PodflowException {
  InvalidRequestException(String message) {
    super(message);
  }
}
