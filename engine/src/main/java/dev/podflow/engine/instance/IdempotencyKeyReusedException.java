package dev.podflow.engine.instance;

import dev.podflow.store.PodflowException;
import java.util.UUID;

/** An idempotency key already started a process with a different definition or input. */
public class IdempotencyKeyReusedException extends PodflowException {
  public IdempotencyKeyReusedException(String key, UUID existing) {
    super(
        "Idempotency-Key '"
            + key
            + "' already started process "
            + existing
            + " with a different definition or input; use a new key for a different request");
  }
}
