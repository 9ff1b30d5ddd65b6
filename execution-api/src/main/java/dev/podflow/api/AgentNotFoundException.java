package dev.podflow.api;

import dev.podflow.store.PodflowException;

/** No agent profile has the id in the URL. */
class AgentNotFoundException extends PodflowException {
  AgentNotFoundException(String id) {
    super("no agent with id " + Problems.echo(id));
  }
}
