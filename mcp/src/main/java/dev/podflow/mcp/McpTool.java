package dev.podflow.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool a server lists: its name, description (may be null), the JSON Schema of its arguments, and
 * the JSON Schema of its structured result (null when it declares none). Immutable.
 */
public record McpTool(
    String name, String description, JsonNode inputSchema, JsonNode outputSchema) {}
