package dev.podflow.store.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of an agent profile's {@code tools}: a built-in tool ({@code "current_time"}, {@code
 * "ask_human"}), every tool of an MCP server ({@code "mcp:<server>"}) or one of its tools ({@code
 * "mcp:<server>/<tool>"}), written as that string or as {@code {"name": "…", "approval": "always"}}
 * when a person must approve each call first. Parsed here, in one place, for the API's check of a
 * profile and for the pods that use it. Immutable.
 *
 * @param server the MCP server's name; null for a built-in tool
 * @param tool the tool's name; null for every tool of {@code server}
 */
public record ToolRef(String name, String server, String tool, boolean needsApproval) {
  /** The prefix of an entry naming MCP tools. */
  public static final String MCP_PREFIX = "mcp:";

  /** Approval values: a person approves every call, or none (the default). */
  public static final String APPROVAL_ALWAYS = "always";

  public static final String APPROVAL_NEVER = "never";

  private static final Pattern BUILTIN = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  /** True when this entry names one or all tools of an MCP server. */
  public boolean isMcp() {
    return server != null;
  }

  /**
   * Reads one entry.
   *
   * @throws IllegalArgumentException with a message fit for a person (it says what is allowed)
   */
  public static ToolRef parse(JsonNode entry) {
    if (entry.isTextual()) return named(entry.asText(), false);
    if (!entry.isObject()) {
      throw new IllegalArgumentException(
          "must be a tool name or {\"name\": \"…\", \"approval\": \"always\"|\"never\"}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = entry.fields(); fields.hasNext(); ) {
      String field = fields.next().getKey();
      if (!field.equals("name") && !field.equals("approval")) {
        throw new IllegalArgumentException(
            "has an unknown field '" + field + "'; a tool entry has name and approval");
      }
    }
    JsonNode name = entry.get("name");
    if (name == null || !name.isTextual()) {
      throw new IllegalArgumentException("needs name, a string");
    }
    JsonNode approval = entry.get("approval");
    boolean always = false;
    if (approval != null && !approval.isNull()) {
      if (!approval.isTextual()
          || !(approval.asText().equals(APPROVAL_ALWAYS)
              || approval.asText().equals(APPROVAL_NEVER))) {
        throw new IllegalArgumentException(
            "approval must be \"" + APPROVAL_ALWAYS + "\" or \"" + APPROVAL_NEVER + "\"");
      }
      always = approval.asText().equals(APPROVAL_ALWAYS);
    }
    return named(name.asText(), always);
  }

  private static ToolRef named(String name, boolean needsApproval) {
    if (!name.startsWith(MCP_PREFIX)) {
      if (!BUILTIN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' is not a tool name: a built-in tool (e.g. current_time, ask_human),"
                + " mcp:<server> or mcp:<server>/<tool>");
      }
      return new ToolRef(name, null, null, needsApproval);
    }
    String rest = name.substring(MCP_PREFIX.length());
    int slash = rest.indexOf('/');
    String server = slash < 0 ? rest : rest.substring(0, slash);
    String tool = slash < 0 ? null : rest.substring(slash + 1);
    if (!SERVER.matcher(server).matches() || (tool != null && !TOOL.matcher(tool).matches())) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not an MCP tool reference: mcp:<server> (every tool of the server) or"
              + " mcp:<server>/<tool>, with letters, digits, '_', '.' and '-'");
    }
    return new ToolRef(name, server, tool, needsApproval);
  }
}
