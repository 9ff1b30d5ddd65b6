package dev.podflow.mcp;

/**
 * A server could not start, did not answer in time, or its connection broke: the attempt fails, and
 * another may succeed (its connection is restarted on the next use).
 */
public final class McpServerUnavailableException extends McpException {
  public McpServerUnavailableException(String server, String message, Throwable cause) {
    super(server, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
