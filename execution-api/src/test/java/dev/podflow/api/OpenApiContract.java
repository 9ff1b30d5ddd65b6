package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import dev.podflow.store.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checked-in OpenAPI document ({@link OpenApiRoute#RESOURCE}) as the tests read it: which
 * operation a request takes, and whether an answer is one the document declares, its body valid
 * against the declared schema (JSON Schema 2020-12 in the OpenAPI 3.1 dialect, {@code $ref}s
 * resolved within the document) and, for a problem, its {@code type} one the response lists. Keeps
 * count of the statuses checked per operation.
 */
final class OpenApiContract {
  private static final String LOCATION = "classpath:" + OpenApiRoute.RESOURCE;
  private static final String PROBLEM = "application/problem+json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  final String text;
  final JsonNode document;

  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder
                  .metaSchema(OpenApi31.getInstance())
                  .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> checked = new TreeMap<>();

  private OpenApiContract(String text) {
    this.text = text;
    this.document = Json.parse(text);
  }

  static OpenApiContract load() {
    try (InputStream in =
        OpenApiContract.class.getClassLoader().getResourceAsStream(OpenApiRoute.RESOURCE)) {
      assertThat(in).as(OpenApiRoute.RESOURCE).isNotNull();
      return new OpenApiContract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation of the document as {@code METHOD /path/{template}}, sorted. */
  List<String> operations() {
    List<String> operations = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return operations.stream().sorted().toList();
  }

  /** The operation object of {@code GET /api/v1/tasks}. */
  JsonNode operation(String operation) {
    String[] parts = operation.split(" ", 2);
    JsonNode node = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
    assertThat(node.isObject()).as("the document has %s", operation).isTrue();
    return node;
  }

  /** The documented operation a request to {@code path} with {@code method} takes. */
  String operationOf(String method, String path) {
    List<String> matching =
        operations().stream()
            .filter(operation -> operation.startsWith(method + " "))
            .filter(operation -> templateMatches(operation.substring(method.length() + 1), path))
            .toList();
    assertThat(matching).as("documented operations for %s %s", method, path).hasSize(1);
    return matching.getFirst();
  }

  private static boolean templateMatches(String template, String path) {
    String regex =
        Arrays.stream(template.split("\\{[^/}]+}", -1))
            .map(Pattern::quote)
            .collect(Collectors.joining("[^/]+"));
    return path.matches(regex);
  }

  /** Follows a {@code $ref} within the document (and the ones it leads to). */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref"); hops++) {
      assertThat(hops).as("$ref chain at %s", node).isLessThan(10);
      String ref = current.get("$ref").asText();
      assertThat(ref).as("a local $ref").startsWith("#/");
      current = document.at(ref.substring(1));
      assertThat(current.isMissingNode()).as("%s exists", ref).isFalse();
    }
    return current;
  }

  /** The problem types a response object lists: its examples' {@code type}s. */
  Set<String> problemTypes(JsonNode response) {
    Set<String> types = new TreeSet<>();
    resolve(response)
        .path("content")
        .path(PROBLEM)
        .path("examples")
        .forEach(example -> types.add(resolve(example).path("value").path("type").asText()));
    return types;
  }

  /** The problem types an operation lists for {@code status}; empty when it declares none. */
  Set<String> problemTypes(String operation, int status) {
    JsonNode response = operation(operation).path("responses").path(Integer.toString(status));
    return response.isMissingNode() ? Set.of() : problemTypes(response);
  }

  /** Checks a request body a test is about to send against the operation's request schema. */
  void checkRequest(String method, String path, Object body) {
    String operation = operationOf(method, path);
    JsonNode content =
        resolve(operation(operation).path("requestBody")).path("content").path("application/json");
    assertThat(content.isObject()).as("%s takes a JSON body", operation).isTrue();
    JsonNode json = body instanceof String s ? Json.parse(s) : Json.MAPPER.valueToTree(body);
    assertValid(operation + " request body", content.path("schema"), json);
  }

  /** {@link #check(String, String, int, String, String)} for an answer of the JDK client. */
  JsonNode check(HttpResponse<String> response) {
    return check(
        response.request().method(),
        response.uri().getRawPath(),
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body());
  }

  /**
   * Checks an answer to {@code method path} against the document; returns its body as JSON (null
   * for a body that is not JSON).
   */
  JsonNode check(String method, String path, int status, String contentType, String body) {
    String operation = operationOf(method, path);
    String what = operation + " answering " + status + " (" + path + ")";
    JsonNode responses = operation(operation).path("responses");
    JsonNode declared = responses.path(Integer.toString(status));
    if (declared.isMissingNode()) {
      fail(
          "%s: status not declared; declared: %s; body: %s",
          what, list(responses.fieldNames()), body);
    }
    JsonNode response = resolve(declared);
    if (!response.has("content")) {
      assertThat(contentType).as("%s: no Content-Type for no content", what).isNull();
      assertThat(body).as("%s: no body", what).isEmpty();
      synchronized (checked) {
        checked.computeIfAbsent(operation, k -> new TreeSet<>()).add(status);
      }
      return null;
    }
    assertThat(contentType).as("%s: Content-Type", what).isNotNull();
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    JsonNode media = response.path("content").path(mediaType);
    if (media.isMissingNode()) {
      fail(
          "%s: content type %s not declared; declared: %s",
          what, mediaType, list(response.path("content").fieldNames()));
    }
    synchronized (checked) {
      checked.computeIfAbsent(operation, k -> new TreeSet<>()).add(status);
    }
    JsonNode json = null;
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      json = Json.parse(body);
      assertValid(what, media.path("schema"), json);
    } else if (mediaType.equals("text/event-stream")) {
      for (JsonNode event : sseData(body)) {
        assertValid(what + ", SSE data", media.path("x-podflow-data-schema"), event);
      }
    } else {
      assertValid(what, media.path("schema"), Json.MAPPER.getNodeFactory().textNode(body));
    }
    if (mediaType.equals(PROBLEM)) {
      assertThat(json.path("status").asInt())
          .as("%s: the problem's status", what)
          .isEqualTo(status);
      assertThat(json.path("type").asText())
          .as("%s: a problem type the response lists", what)
          .isIn(problemTypes(response));
    }
    return json;
  }

  /** Each SSE message's {@code data:} as JSON. */
  private static List<JsonNode> sseData(String body) {
    List<JsonNode> data = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      if (line.startsWith("data:")) data.add(Json.parse(line.substring(5).trim()));
    }
    return data;
  }

  /** Validates {@code instance} against {@code schema}, a {@code $ref} or an inline schema. */
  void assertValid(String what, JsonNode schema, JsonNode instance) {
    assertThat(schema.isObject()).as("%s: a schema is declared", what).isTrue();
    JsonSchema validator =
        schema.has("$ref")
            ? schemas.computeIfAbsent(
                schema.get("$ref").asText(),
                ref -> factory.getSchema(SchemaLocation.of(LOCATION + ref), config))
            : factory.getSchema(schema, config);
    Set<ValidationMessage> errors = validator.validate(instance);
    assertThat(errors).as("%s: %s against %s", what, instance, schema).isEmpty();
  }

  /** The statuses checked so far, per operation. */
  Map<String, Set<Integer>> checked() {
    synchronized (checked) {
      return Map.copyOf(checked);
    }
  }

  private static List<String> list(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
