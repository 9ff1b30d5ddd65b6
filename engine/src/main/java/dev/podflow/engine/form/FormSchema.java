package dev.podflow.engine.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The one way Podflow reads JSON Schemas (draft 2020-12 unless one names another draft in {@code
 * $schema}): the form of a human task, which a person's answer must satisfy, and an {@code
 * llm-action}'s {@code outputSchema}, which a model's answer must satisfy. Schemas are checked
 * against their meta-schema when a definition is uploaded, and documents against the schema when
 * they arrive.
 *
 * <p>Only the meta-schemas shipped with the validator are ever loaded: a {@code $ref} to anything
 * else fails instead of reaching out to the network (a schema in a definition must not make a pod
 * or the API fetch an address of its author's choosing). Stateless and thread-safe.
 */
public final class FormSchema {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
          .schemaLoaders(loaders -> loaders.add(MetaSchemasOnly.INSTANCE))
          .build();
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
  private static final JsonSchema META_SCHEMA =
      FACTORY.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V202012.getId()), CONFIG);

  /** One place where a document breaks the schema. */
  public record Violation(String pointer, String message) {}

  private FormSchema() {}

  /**
   * Lets the bundled meta-schemas load (the factory maps their https IRIs to the class path) and
   * refuses every other IRI, which the default loader would fetch over the network.
   */
  private enum MetaSchemasOnly implements SchemaLoader {
    INSTANCE;

    @Override
    public InputStreamSource getSchema(AbsoluteIri iri) {
      if (iri.toString().startsWith("classpath:")) return null; // the class path loader's
      throw new JsonSchemaException(
          "$ref " + iri + " cannot be loaded; a schema may only refer to itself ($defs)");
    }
  }

  /**
   * Checks that {@code form} is a usable JSON Schema object. Pointers are relative to {@code form}
   * ({@code ""} for the form itself).
   */
  public static List<Violation> check(JsonNode form) {
    if (form == null || !form.isObject()) {
      return List.of(new Violation("", "must be a JSON Schema object"));
    }
    List<Violation> violations = sorted(META_SCHEMA.validate(form));
    if (!violations.isEmpty()) return violations;
    try {
      compile(form).validate(form); // resolves $refs, so a dangling one is found now, not later
    } catch (JsonSchemaException | IllegalArgumentException | IllegalStateException e) {
      return List.of(new Violation("", "is not a usable JSON Schema: " + e.getMessage()));
    }
    return List.of();
  }

  /**
   * Validates {@code document} against {@code form}; pointers are relative to {@code document}.
   * Empty when it conforms. {@code form} must have passed {@link #check}.
   */
  public static List<Violation> validate(JsonNode form, JsonNode document) {
    return sorted(compile(form).validate(document));
  }

  private static JsonSchema compile(JsonNode form) {
    return FACTORY.getSchema(form, CONFIG);
  }

  private static List<Violation> sorted(Set<ValidationMessage> messages) {
    return messages.stream()
        .map(m -> new Violation(m.getInstanceLocation().toString(), m.getError()))
        .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
        .distinct()
        .toList();
  }
}
