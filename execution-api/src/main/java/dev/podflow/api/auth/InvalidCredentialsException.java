package dev.podflow.api.auth;

import dev.podflow.store.PodflowException;

/**
 * A bearer token was refused. The message says why in words safe to send to the client (expired,
 * signature, issuer, missing tenant…) and never contains the token: messages reach responses and
 * logs, and a token in either could be replayed.
 */
public class InvalidCredentialsException extends PodflowException {
  public InvalidCredentialsException(String reason) {
    super(reason);
  }
}
