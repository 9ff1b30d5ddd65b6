package dev.podflow.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns the SDK's call result into an {@link McpToolResult}. Stateless. */
final class ToolResults {
  private ToolResults() {}

  static McpToolResult of(McpSchema.CallToolResult result) {
    List<String> parts = new ArrayList<>();
    for (McpSchema.Content content :
        result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
      parts.add(text(content));
    }
    JsonNode structured =
        result.structuredContent() == null
            ? null
            : Json.MAPPER.valueToTree(result.structuredContent());
    int size = Json.write(result).getBytes(StandardCharsets.UTF_8).length;
    return new McpToolResult(
        Boolean.TRUE.equals(result.isError()), String.join("\n", parts), structured, size);
  }

  /** A text part as it is; other parts as a bracketed note the model can read. */
  private static String text(McpSchema.Content content) {
    return switch (content) {
      case McpSchema.TextContent text -> text.text();
      case McpSchema.ImageContent image ->
          "[image " + image.mimeType() + ", " + image.data().length() + " base64 characters]";
      case McpSchema.AudioContent audio ->
          "[audio " + audio.mimeType() + ", " + audio.data().length() + " base64 characters]";
      case McpSchema.ResourceLink link -> "[resource link " + link.uri() + " " + link.name() + "]";
      case McpSchema.EmbeddedResource embedded ->
          embedded.resource() instanceof McpSchema.TextResourceContents text
              ? text.text()
              : "[resource " + embedded.resource().uri() + "]";
      default -> "[" + content.type() + " content]";
    };
  }
}
