package dev.podflow.mcp;

import dev.podflow.store.PodflowException;

/**
 * An MCP server could not be used. Messages name the server (never a tenant's secret, header or env
 * value); {@link #retryable()} says whether another attempt may succeed.
 */
public abstract class McpException extends PodflowException {
  private final String server;

  McpException(String server, String message, Throwable cause) {
    super(message, cause);
    this.server = server;
  }

  /** The server's name. */
  public String server() {
    return server;
  }

  /** Whether another attempt may succeed (the server may come back); false for a refusal. */
  public abstract boolean retryable();
}
