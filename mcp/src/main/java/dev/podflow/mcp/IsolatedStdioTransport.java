package dev.podflow.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The SDK's stdio transport, with a child process that gets exactly the environment it is given.
 *
 * <p>The SDK alone would leak the pod's environment twice: {@link ServerParameters} adds HOME,
 * LOGNAME, PATH, SHELL, TERM and USER from the pod, and the {@link ProcessBuilder} it starts from
 * carries every variable of the pod (DATABASE_URL, keys). Here the parameters' map is replaced by
 * the given one (the SDK reads it back with {@code getEnv()} when it starts the process) and the
 * process builder starts empty. A test asks a real server for its environment to hold this.
 */
final class IsolatedStdioTransport extends StdioClientTransport {

  IsolatedStdioTransport(
      Path executable, List<String> args, Map<String, String> env, McpJsonMapper mapper) {
    super(parameters(executable, args, env), mapper);
  }

  private static ServerParameters parameters(
      Path executable, List<String> args, Map<String, String> env) {
    ServerParameters parameters =
        ServerParameters.builder(executable.toString()).args(args).build();
    parameters.getEnv().clear();
    parameters.getEnv().putAll(env);
    return parameters;
  }

  @Override
  protected ProcessBuilder getProcessBuilder() {
    ProcessBuilder builder = new ProcessBuilder();
    builder.environment().clear();
    return builder;
  }
}
