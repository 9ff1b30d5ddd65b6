package dev.podflow.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;
import dev.podflow.store.Json;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The SDK's check of a tool's {@code structuredContent} against the {@code outputSchema} the server
 * listed, on json-schema-validator 1.5.x, the version the engine's FormSchema uses.
 *
 * <p>Why not the SDK's own validator: {@code mcp-json-jackson2} brings one built on
 * json-schema-validator 2.0.x, whose API is a different one under the same package names; a class
 * path holds one version, and the build keeps 1.5.x (the SDK's validator would fail with {@code
 * NoClassDefFoundError}). Every client is built with this one instead.
 *
 * <p>A schema comes from an MCP server, so a {@code $ref} to anything but the bundled meta-schemas
 * is refused: the default loader would fetch any URL the server names, from the pod's network.
 * Thread-safe; compiled schemas are cached by their JSON text, up to {@value #MAX_CACHED}.
 */
public final class ToolOutputValidator implements JsonSchemaValidator {
  static final int MAX_CACHED = 256;

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
          .schemaLoaders(loaders -> loaders.add(MetaSchemasOnly.INSTANCE))
          .build();
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().build();

  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  private enum MetaSchemasOnly implements SchemaLoader {
    INSTANCE;

    @Override
    public InputStreamSource getSchema(AbsoluteIri iri) {
      if (iri.toString().startsWith("classpath:")) return null; // the class path loader's
      throw new JsonSchemaException(
          "$ref " + iri + " cannot be loaded; an outputSchema may only refer to itself ($defs)");
    }
  }

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
    if (schema == null) throw new IllegalArgumentException("schema must not be null");
    if (structuredContent == null) throw new IllegalArgumentException("content must not be null");
    try {
      JsonNode content =
          structuredContent instanceof String text
              ? Json.MAPPER.readTree(text)
              : Json.MAPPER.valueToTree(structuredContent);
      Set<ValidationMessage> errors = schema(schema).validate(content);
      if (!errors.isEmpty()) {
        return ValidationResponse.asInvalid(
            "structuredContent does not match the tool's outputSchema: "
                + errors.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .collect(Collectors.joining("; ")));
      }
      return ValidationResponse.asValid(content.toString());
    } catch (JsonProcessingException e) {
      return ValidationResponse.asInvalid(
          "structuredContent is not JSON: " + e.getOriginalMessage());
    } catch (JsonSchemaException | IllegalArgumentException | IllegalStateException e) {
      return ValidationResponse.asInvalid("the tool's outputSchema is unusable: " + e.getMessage());
    }
  }

  private JsonSchema schema(Map<String, Object> schema) {
    String key = Json.write(schema);
    JsonSchema cached = compiled.get(key);
    if (cached != null) return cached;
    // A server can list many schemas over time; a full cache starts over rather than grow.
    if (compiled.size() >= MAX_CACHED) compiled.clear();
    JsonSchema fresh = FACTORY.getSchema(Json.MAPPER.valueToTree(schema), CONFIG);
    compiled.putIfAbsent(key, fresh);
    return fresh;
  }
}
