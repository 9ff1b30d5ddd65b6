package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.mcp.McpServerSpec;
import dev.podflow.mcp.McpTool;
import dev.podflow.mcp.McpToolResult;
import dev.podflow.mcp.step.McpCalls;
import dev.podflow.store.Json;
import dev.podflow.store.agent.ToolRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The MCP tools an agent's profile names: {@code mcp:<server>} (every tool the server lists now) or
 * {@code mcp:<server>/<tool>}. Their schemas go to the model as tool specifications under names
 * model APIs accept ({@code [a-zA-Z0-9_-]{1,64}}): {@code <server>_<tool>} with every other
 * character replaced by {@code _}; a name longer than 64 characters, or one already taken, is cut
 * to 55 and ends with {@code _} and 8 hex digits of a hash of the full name. The server is looked
 * up again at every call, so a server disabled meanwhile fails the call. Thread-safe.
 */
final class McpAgentTools {
  static final int MAX_NAME = 64;
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9_-]");

  private final McpCalls calls;

  McpAgentTools(McpCalls calls) {
    this.calls = calls;
  }

  /**
   * The tools {@code ref} names, under model names that differ from {@code taken}.
   *
   * @throws TaskFailedException permanent when the server is unknown or disabled for the task's
   *     tenant or lacks the tool; retryable when it cannot be reached
   */
  List<AgentTool> toolsFor(TaskContext task, ToolRef ref, List<String> taken) {
    McpServerSpec server = calls.server(task, ref.server());
    List<McpTool> listed = calls.tools(task, server);
    List<McpTool> chosen =
        ref.tool() == null
            ? listed
            : listed.stream().filter(tool -> tool.name().equals(ref.tool())).toList();
    if (chosen.isEmpty() && ref.tool() != null) {
      throw TaskFailedException.permanent(
          "the agent names "
              + ref.name()
              + ", but MCP server '"
              + ref.server()
              + "' lists no tool '"
              + ref.tool()
              + "'; it lists: "
              + String.join(", ", listed.stream().map(McpTool::name).toList()));
    }
    Set<String> names = new HashSet<>(taken);
    List<AgentTool> tools = new ArrayList<>();
    for (McpTool tool : chosen) {
      String modelName = modelName(server.name(), tool.name(), names);
      names.add(modelName);
      String label = ToolRef.MCP_PREFIX + server.name() + "/" + tool.name();
      tools.add(
          new AgentTool(
              spec(modelName, tool),
              label,
              ref,
              (running, arguments) -> run(running, ref.server(), tool.name(), arguments)));
    }
    return tools;
  }

  private String run(TaskContext task, String serverName, String tool, String arguments) {
    McpServerSpec server = calls.server(task, serverName); // disabled meanwhile: fails here
    McpToolResult result = calls.call(task, server, tool, arguments);
    if (!result.isError()) {
      return result.structuredContent() != null
              && (result.text() == null || result.text().isBlank())
          ? Json.write(result.structuredContent())
          : result.text();
    }
    return "error: " + result.text();
  }

  /** {@code <server>_<tool>} as a model accepts it, unique among {@code taken}. */
  static String modelName(String server, String tool, Set<String> taken) {
    String full = server + "_" + tool;
    String name = NOT_ALLOWED.matcher(full).replaceAll("_");
    if (name.length() <= MAX_NAME && !taken.contains(name)) return name;
    String hashed = name.substring(0, Math.min(name.length(), MAX_NAME - 9)) + "_" + hash(full);
    for (int i = 2; taken.contains(hashed); i++)
      hashed = hashed.substring(0, 55) + "_" + hash(full + i);
    return hashed;
  }

  private static ToolSpecification spec(String modelName, McpTool tool) {
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(modelName)
            .description(tool.description() == null ? tool.name() : tool.description())
            .parameters(parameters(tool.inputSchema()));
    return spec.build();
  }

  /** The tool's input schema, its properties passed to the model as the server wrote them. */
  private static JsonObjectSchema parameters(JsonNode schema) {
    JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
    if (schema == null || !schema.isObject()) return parameters.build();
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            property ->
                parameters.addProperty(
                    property.getKey(), JsonRawSchema.from(Json.write(property.getValue()))));
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    if (!required.isEmpty()) parameters.required(required);
    if (schema.path("additionalProperties").isBoolean()) {
      parameters.additionalProperties(schema.get("additionalProperties").asBoolean());
    }
    return parameters.build();
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
