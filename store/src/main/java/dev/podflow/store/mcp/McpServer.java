package dev.podflow.store.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An MCP server of one tenant as stored in {@code mcp_servers} (V16): a stdio server ({@code
 * command} with {@code args}, a JSON array of strings, and {@code env}, a JSON object of strings;
 * {@code url} and {@code headers} null) or a streamable HTTP one ({@code url} with {@code headers},
 * a JSON object of strings; {@code command}, {@code args} and {@code env} null). Values of {@code
 * env} and {@code headers} may reference the tenant's secrets as {@code ${NAME}}, which are
 * resolved when a tool is called, never stored here; so nothing in this record is secret.
 * Immutable.
 *
 * @param createdBy who registered it ({@code key:<key id>} or {@code jwt:<subject>})
 */
public record McpServer(
    String name,
    String command,
    JsonNode args,
    JsonNode env,
    String url,
    JsonNode headers,
    boolean enabled,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /** True for a stdio server (a command to run), false for a streamable HTTP one (a URL). */
  public boolean isStdio() {
    return command != null;
  }
}
