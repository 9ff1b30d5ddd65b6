package dev.podflow.api.auth;

import dev.podflow.store.PodflowException;

/** Authenticated, but the role may not do this (403). The message says what role it takes. */
public final class AccessDeniedException extends PodflowException {
  public AccessDeniedException(String message) {
    super(message);
  }
}
