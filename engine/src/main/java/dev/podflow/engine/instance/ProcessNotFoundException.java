package dev.podflow.engine.instance;

import dev.podflow.store.PodflowException;
import java.util.UUID;

/** No process instance has the id. */
public class ProcessNotFoundException extends PodflowException {
  public ProcessNotFoundException(UUID id) {
    super("no process instance with id " + id);
  }
}
