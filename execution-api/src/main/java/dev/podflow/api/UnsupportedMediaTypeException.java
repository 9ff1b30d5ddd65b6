package dev.podflow.api;

import dev.podflow.store.PodflowException;

/** A request body came without a JSON {@code Content-Type}. */
class UnsupportedMediaTypeException extends PodflowException {
  UnsupportedMediaTypeException(String message) {
    super(message);
  }
}
