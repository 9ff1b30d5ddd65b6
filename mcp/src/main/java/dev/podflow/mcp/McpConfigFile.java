package dev.podflow.mcp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the operator's catalogue of MCP servers, {@code mcp.json} in the shape every MCP client
 * uses:
 *
 * <pre>{"mcpServers": {
 *   "files":  {"command": "node", "args": ["server.js"], "env": {"TOKEN": "${FILES_TOKEN}"}},
 *   "search": {"url": "https://search.example/mcp", "headers": {"Authorization": "Bearer ${KEY}"},
 *              "tenants": ["acme"], "enabled": true}}}</pre>
 *
 * <p>Besides the usual keys an entry may carry {@code "tenants"} (only those tenants are offered
 * it; absent: every tenant), {@code "enabled"} (default true) and {@code "type"} ({@code stdio},
 * {@code http} or {@code streamable-http}, checked against the other keys). Unknown keys are
 * refused, so a typo does not silently drop a setting. Errors name the file and the entry, never a
 * value. Stateless.
 */
public final class McpConfigFile {
  /** The path of the operator's mcp.json; unset means no operator servers. */
  public static final String SETTING = "PODFLOW_MCP_CONFIG";

  private static final Set<String> KEYS =
      Set.of("type", "command", "args", "env", "url", "headers", "enabled", "tenants");

  private McpConfigFile() {}

  /**
   * The servers of the file {@value #SETTING} names, with {@code ${NAME}} resolved from {@code
   * environment} (the pod's); none when the setting is unset.
   */
  public static List<McpServerSpec> fromEnvironment(Environment environment) {
    String path = environment.text(SETTING);
    if (path == null) return List.of();
    return read(Path.of(path), SecretLookup.of(environment.variables()));
  }

  /** The servers in {@code file}, with {@code ${NAME}} resolved from {@code lookup}. */
  public static List<McpServerSpec> read(Path file, SecretLookup lookup) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          SETTING + " names " + file + ", which cannot be read: " + e);
    }
    return parse(text, file.toString(), lookup);
  }

  /** The servers in {@code json}; {@code origin} (the file's path) goes into the errors. */
  public static List<McpServerSpec> parse(String json, String origin, SecretLookup lookup) {
    JsonNode root;
    try {
      root =
          Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException(
          origin
              + " is not valid JSON (line "
              + e.getLocation().getLineNr()
              + "): "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("mcpServers").isObject()) {
      throw new InvalidConfigurationException(
          origin + " must be a JSON object with an \"mcpServers\" object");
    }
    List<McpServerSpec> specs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.get("mcpServers").properties()) {
      String where = origin + " server '" + entry.getKey() + "'";
      specs.add(entry(entry.getKey(), entry.getValue(), where).resolve(lookup, origin));
    }
    return List.copyOf(specs);
  }

  private static McpServerSpec entry(String name, JsonNode node, String where) {
    if (!node.isObject()) throw invalid(where, "must be an object");
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      if (!KEYS.contains(key)) {
        throw invalid(where, "has an unknown key '" + key + "'; known keys are " + KEYS);
      }
    }
    String command = text(node, "command", where);
    String url = text(node, "url", where);
    String type = text(node, "type", where);
    if (type != null) {
      boolean stdio = type.equals("stdio");
      boolean http = Set.of("http", "streamable-http", "streamableHttp").contains(type);
      if (!stdio && !http) {
        throw invalid(where, "type '" + type + "' is not stdio, http or streamable-http");
      }
      if (stdio && command == null || http && url == null) {
        throw invalid(where, "type '" + type + "' needs " + (stdio ? "a command" : "a url"));
      }
    }
    JsonNode enabled = node.get("enabled");
    if (enabled != null && !enabled.isBoolean()) throw invalid(where, "enabled must be true/false");
    List<String> args = strings(node, "args", where);
    Map<String, String> env = map(node, "env", where);
    Map<String, String> headers = map(node, "headers", where);
    List<String> tenants = strings(node, "tenants", where);
    try {
      return new McpServerSpec(
          name,
          command,
          args,
          env,
          url,
          headers,
          enabled == null || enabled.booleanValue(),
          tenants);
    } catch (InvalidConfigurationException e) {
      throw invalid(where, e.getMessage());
    }
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid(where, key + " must be a string");
    return value.textValue();
  }

  private static List<String> strings(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) return List.of();
    List<String> out = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isTextual()) break;
        out.add(item.textValue());
      }
      if (out.size() == value.size()) return out;
    }
    throw invalid(where, key + " must be an array of strings");
  }

  private static Map<String, String> map(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) return Map.of();
    if (!value.isObject()) throw invalid(where, key + " must be an object of strings");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      if (!field.getValue().isTextual()) {
        throw invalid(where, key + " '" + field.getKey() + "' must be a string");
      }
      out.put(field.getKey(), field.getValue().textValue());
    }
    return out;
  }

  private static InvalidConfigurationException invalid(String where, String problem) {
    return new InvalidConfigurationException(where + ": " + problem);
  }
}
