package dev.podflow.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tool call returned, for the model: {@code isError} when the tool (or the server, about the
 * call) reports a failure, which goes back to the model as the tool's result rather than failing
 * the task; {@code text} joins the text parts (other parts are described in brackets); {@code
 * structuredContent} is the structured result, or null; {@code size} is the result's size in bytes
 * as JSON, for limits and metrics. Immutable.
 */
public record McpToolResult(boolean isError, String text, JsonNode structuredContent, int size) {

  /** An error result with {@code message} as its text. */
  public static McpToolResult error(String message) {
    return new McpToolResult(
        true, message, null, message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }
}
