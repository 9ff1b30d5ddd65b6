package dev.podflow.store.secret;

import dev.podflow.store.PodflowException;

/**
 * A stored secret does not decrypt: it was sealed under another {@code PODFLOW_SECRETS_KEY}, for
 * another tenant or name (a row copied), by a newer Podflow, or it was changed. The message names
 * the tenant and the secret, never a value.
 */
public class SecretUnreadableException extends PodflowException {
  public SecretUnreadableException(String message) {
    super(message);
  }

  public SecretUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
