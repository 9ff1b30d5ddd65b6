package dev.podflow.mcp;

/**
 * The pod's settings refuse a server: its command is not on the stdio allowlist, its address is
 * refused by the outbound guard, it is disabled or not offered to the tenant. No retry helps until
 * the settings or the definition change.
 */
public final class McpServerRefusedException extends McpException {
  public McpServerRefusedException(String server, String message) {
    super(server, message, null);
  }

  public McpServerRefusedException(String server, String message, Throwable cause) {
    super(server, message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
