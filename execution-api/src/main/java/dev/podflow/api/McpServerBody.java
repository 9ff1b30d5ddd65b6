package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.SecretNames;
import dev.podflow.store.Json;
import dev.podflow.store.mcp.McpServer;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/mcp-servers} and {@code PATCH …/{name}}, checked: one transport's
 * fields, of the right types and sizes, a command the stdio allowlist admits or a URL the outbound
 * guard admits ({@link McpAdmission}), and no credential in clear — an {@code env} or {@code
 * headers} value, or a URL query parameter, whose name looks like one ({@link SecretNames}) must
 * reference the tenant's secret store as {@code ${NAME}}. Every problem is reported at once, each
 * at its field (422 {@code invalid-mcp-server}). Stateless.
 */
final class McpServerBody {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> STDIO_FIELDS = Set.of("command", "args", "env");
  private static final Set<String> HTTP_FIELDS = Set.of("url", "headers");
  private static final int TEXT_LIMIT = 2_000;
  private static final int ENTRY_LIMIT = 100;

  private McpServerBody() {}

  /** A server's fields as checked: the stdio or the HTTP ones, the others null. */
  record Fields(
      String command, JsonNode args, JsonNode env, String url, JsonNode headers, boolean enabled) {}

  /** The stored server with the body's fields over it, as one object to check. */
  static ObjectNode merged(McpServer current, ObjectNode body) {
    ObjectNode merged = Json.MAPPER.createObjectNode();
    if (current.isStdio()) {
      merged.put("command", current.command());
      merged.set("args", current.args());
      merged.set("env", current.env());
    } else {
      merged.put("url", current.url());
      merged.set("headers", current.headers());
    }
    merged.put("enabled", current.enabled());
    if (body.has("command")) HTTP_FIELDS.forEach(merged::remove);
    if (body.has("url")) STDIO_FIELDS.forEach(merged::remove);
    body.fields().forEachRemaining(field -> merged.set(field.getKey(), field.getValue()));
    merged.remove("name");
    return merged;
  }

  /**
   * The server's fields from {@code body}, each checked; throws 422 with every error found (those
   * already in {@code errors} too).
   */
  static Fields check(
      McpAdmission admission, String name, ObjectNode body, List<Problems.FieldError> errors) {
    boolean stdio = body.hasNonNull("command");
    boolean http = body.hasNonNull("url");
    if (stdio == http) {
      errors.add(
          new Problems.FieldError(
              stdio ? "/url" : "/command",
              stdio
                  ? "give either command (a stdio server) or url (a streamable HTTP server), not"
                      + " both"
                  : "is required for a stdio server; give url instead for a streamable HTTP"
                      + " server"));
    }
    for (String field : stdio ? HTTP_FIELDS : STDIO_FIELDS) {
      if (body.hasNonNull(field)) {
        errors.add(
            new Problems.FieldError(
                "/" + field,
                "is for " + (stdio ? "streamable HTTP servers (with a url)" : "stdio servers")));
      }
    }
    String command = BodyFields.text(body, "command", false, TEXT_LIMIT, errors);
    if (command != null) {
      admission
          .commandRefusal(name, command)
          .ifPresent(why -> errors.add(new Problems.FieldError("/command", why)));
    }
    String url = BodyFields.text(body, "url", false, TEXT_LIMIT, errors);
    if (url != null) {
      admission
          .urlRefusal(name, url)
          .ifPresent(why -> errors.add(new Problems.FieldError("/url", why)));
      checkQuery(url, errors);
    }
    JsonNode args = stdio ? strings(body.get("args"), errors) : null;
    JsonNode env = stdio ? stringMap(body.get("env"), "/env", errors) : null;
    JsonNode headers = http ? stringMap(body.get("headers"), "/headers", errors) : null;
    JsonNode enabled = body.get("enabled");
    if (enabled != null && !enabled.isBoolean()) {
      errors.add(new Problems.FieldError("/enabled", "must be true or false"));
    }
    if (!errors.isEmpty()) throw invalid(errors);
    return new Fields(
        stdio ? command : null,
        args,
        env,
        http ? url : null,
        headers,
        enabled == null || enabled.asBoolean());
  }

  private static JsonNode strings(JsonNode value, List<Problems.FieldError> errors) {
    if (value == null || value.isNull()) return Json.MAPPER.createArrayNode();
    if (!value.isArray() || value.size() > ENTRY_LIMIT) {
      errors.add(new Problems.FieldError("/args", "must be an array of at most 100 strings"));
      return null;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode arg = value.get(i);
      if (!arg.isTextual() || arg.asText().length() > TEXT_LIMIT) {
        errors.add(new Problems.FieldError("/args/" + i, "must be a string of at most 2000"));
      } else {
        checkReferences(arg.asText(), "/args/" + i, errors);
      }
    }
    return value;
  }

  /**
   * An object of strings; a value whose name looks like a credential must reference the tenant's
   * secret store rather than hold it.
   */
  private static JsonNode stringMap(
      JsonNode value, String pointer, List<Problems.FieldError> errors) {
    if (value == null || value.isNull()) return Json.MAPPER.createObjectNode();
    if (!value.isObject() || value.size() > ENTRY_LIMIT) {
      errors.add(new Problems.FieldError(pointer, "must be an object of at most 100 strings"));
      return null;
    }
    value
        .fields()
        .forEachRemaining(
            entry -> {
              String at = pointer + "/" + entry.getKey();
              JsonNode item = entry.getValue();
              if (!item.isTextual() || item.asText().length() > TEXT_LIMIT) {
                errors.add(new Problems.FieldError(at, "must be a string of at most 2000"));
              } else {
                checkReferences(item.asText(), at, errors);
                requireReferenceIfSecret(entry.getKey(), item.asText(), at, errors);
              }
            });
    return value;
  }

  /** The query's parameters whose names look like credentials must be references. */
  private static void checkQuery(String url, List<Problems.FieldError> errors) {
    checkReferences(url, "/url", errors);
    int query = url.indexOf('?');
    if (query < 0) return;
    for (String parameter : url.substring(query + 1).split("&")) {
      int equals = parameter.indexOf('=');
      if (equals < 0) continue;
      requireReferenceIfSecret(
          parameter.substring(0, equals), parameter.substring(equals + 1), "/url", errors);
    }
  }

  private static void requireReferenceIfSecret(
      String name, String value, String pointer, List<Problems.FieldError> errors) {
    if (SecretNames.looksSecret(name) && !REFERENCE.matcher(value).find()) {
      errors.add(
          new Problems.FieldError(
              pointer,
              "'"
                  + name
                  + "' looks like a credential: store its value with PUT /api/v1/secrets/{NAME}"
                  + " and give it here as ${NAME}; a value in clear is never stored"));
    }
  }

  private static void checkReferences(
      String value, String pointer, List<Problems.FieldError> errors) {
    var matcher = REFERENCE.matcher(value);
    while (matcher.find()) {
      if (!SECRET_NAME.matcher(matcher.group(1)).matches()) {
        errors.add(
            new Problems.FieldError(
                pointer,
                "'${"
                    + matcher.group(1)
                    + "}' is not a secret reference: names are 1-64 letters, digits and '_',"
                    + " not starting with a digit"));
      }
    }
  }

  static InvalidBodyException invalid(List<Problems.FieldError> errors) {
    return new InvalidBodyException(ProblemType.INVALID_MCP_SERVER, "MCP server", errors);
  }
}
