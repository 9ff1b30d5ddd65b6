package dev.podflow.mcp;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.time.Duration;

/**
 * How MCP connections behave: the default time a tool call may take ({@value
 * #CALL_TIMEOUT_SETTING}), the time a server has to start and answer {@code initialize} ({@value
 * #CONNECT_TIMEOUT_SETTING}), and the {@code PATH} a stdio server's process gets when its own
 * {@code env} names none (so {@code #!/usr/bin/env node} scripts start; the pod's other variables
 * never pass). Immutable.
 */
public record McpSettings(Duration callTimeout, Duration connectTimeout, String childPath) {
  public static final String CALL_TIMEOUT_SETTING = "PODFLOW_MCP_CALL_TIMEOUT";
  public static final String CONNECT_TIMEOUT_SETTING = "PODFLOW_MCP_CONNECT_TIMEOUT";
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  public McpSettings {
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new InvalidConfigurationException("the MCP call timeout must be positive");
    }
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new InvalidConfigurationException("the MCP connect timeout must be positive");
    }
  }

  /** Settings from the pod's environment (whole seconds, 1 to 3600; PATH as the pod's). */
  public static McpSettings fromEnvironment(Environment environment) {
    return new McpSettings(
        environment.seconds(CALL_TIMEOUT_SETTING, DEFAULT_CALL_TIMEOUT, 1, 3600),
        environment.seconds(CONNECT_TIMEOUT_SETTING, DEFAULT_CONNECT_TIMEOUT, 1, 600),
        environment.text("PATH"));
  }
}
