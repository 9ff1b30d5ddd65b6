package dev.podflow.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.podflow.store.Json;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One json-schema-validator on the class path, 1.5.x, serves both the engine (FormSchema's API) and
 * the MCP client (ToolOutputValidator); the SDK's own validator, built for 2.0.x, cannot load.
 */
class SchemaValidatorTest {
  private static final Map<String, Object> SCHEMA =
      Map.of(
          "type", "object",
          "properties", Map.of("temperature", Map.of("type", "number")),
          "required", List.of("temperature"));

  @Test
  void theEnginesValidatorApiIsTheOneOnTheClassPath() {
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(Json.MAPPER.valueToTree(SCHEMA));
    assertThat(schema.validate(Json.parse("{\"temperature\":1}"))).isEmpty();
    assertThat(schema.validate(Json.parse("{\"temperature\":\"hot\"}"))).hasSize(1);
  }

  @Test
  void theSdksOwnValidatorCannotLoadSoEveryClientGetsOurs() {
    assertThatThrownBy(DefaultJsonSchemaValidator::new).isInstanceOf(NoClassDefFoundError.class);
  }

  @Test
  void checksStructuredContent() {
    ToolOutputValidator validator = new ToolOutputValidator();
    assertThat(validator.validate(SCHEMA, Map.of("temperature", 21)).valid()).isTrue();
    var invalid = validator.validate(SCHEMA, Map.of("temperature", "warm"));
    assertThat(invalid.valid()).isFalse();
    assertThat(invalid.errorMessage())
        .startsWith("structuredContent does not match the tool's outputSchema: ");
  }

  @Test
  void refusesToFetchARemoteRef() {
    var result =
        new ToolOutputValidator()
            .validate(Map.of("$ref", "http://169.254.169.254/schema.json"), Map.of());
    assertThat(result.valid()).isFalse();
    assertThat(result.errorMessage()).contains("cannot be loaded");
  }
}
