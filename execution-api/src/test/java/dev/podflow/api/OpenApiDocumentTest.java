package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json} is valid OpenAPI 3.1, describes exactly the
 * routes the server registers, each with its least role and its problem types, and is served to
 * anyone. {@link OpenApiResponsesTest} holds real answers to its schemas.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class OpenApiDocumentTest {
  private static final Set<String> ROLES = Set.of("user", "operator", "admin");

  /**
   * Problem types answered for requests that match no operation; listed by none, except {@code
   * route-not-found} by {@code GET /metrics}, which the API's port answers as an unknown route when
   * {@code /metrics} has a port of its own.
   */
  private static final Set<ProblemType> UNROUTED =
      Set.of(ProblemType.ROUTE_NOT_FOUND, ProblemType.METHOD_NOT_ALLOWED);

  private final OpenApiContract contract = OpenApiContract.load();
  private ExecutionApi api;

  @BeforeEach
  void start(Database db) {
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theDocumentIsOpenApi31ThatSwaggerParserReadsWithoutAMessage() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIParser().readContents(contract.text, null, options);

    assertThat(result.getMessages()).isEmpty();
    OpenAPI openApi = result.getOpenAPI();
    assertThat(openApi).isNotNull();
    assertThat(openApi.getOpenapi()).startsWith("3.1.");
    assertThat(openApi.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(openApi.getComponents().getSecuritySchemes().get("bearerAuth"))
        .satisfies(
            scheme -> {
              assertThat(scheme.getType().toString()).isEqualTo("http");
              assertThat(scheme.getScheme()).isEqualTo("bearer");
            });
    List<String> operationIds = new ArrayList<>();
    openApi
        .getPaths()
        .values()
        .forEach(path -> path.readOperations().forEach(o -> operationIds.add(o.getOperationId())));
    assertThat(operationIds).doesNotContainNull().doesNotHaveDuplicates();
  }

  @Test
  void itDescribesExactlyTheRoutesTheServerRegisters() {
    List<String> registered = api.routes().stream().sorted().toList();
    List<String> documented = contract.operations();

    assertThat(registered).as("routes the server registers").contains("GET " + OpenApiRoute.PATH);
    assertThat(documented)
        .as("registered routes missing from the document")
        .containsAll(registered);
    assertThat(registered)
        .as("documented operations the server does not register")
        .containsAll(documented);
    assertThat(documented).doesNotHaveDuplicates().hasSameSizeAs(registered);
  }

  @Test
  void everyApiOperationTakesTheBearerSchemeAndNamesItsLeastRole() {
    assertThat(contract.document.path("security")).isEqualTo(parse("[{\"bearerAuth\": []}]"));
    for (String name : contract.operations()) {
      JsonNode operation = contract.operation(name);
      String description = operation.path("description").asText();
      boolean open =
          !name.contains(" /api/")
                  && !name.equals("POST " + McpEndpoint.PATH)
                  && !name.equals("POST " + A2aServerRoutes.ENDPOINT)
              || name.equals("GET " + OpenApiRoute.PATH);
      if (open) {
        assertThat(operation.path("security")).as("%s is open", name).isEqualTo(parse("[]"));
        assertThat(operation.has("x-podflow-role")).as(name).isFalse();
        assertThat(description).as(name).contains("Open: no credentials.");
        assertThat(operation.path("responses").has("401")).as(name).isFalse();
      } else {
        String role = operation.path("x-podflow-role").asText();
        assertThat(operation.has("security"))
            .as("%s keeps the document's security", name)
            .isFalse();
        assertThat(role).as("%s x-podflow-role", name).isIn(ROLES);
        assertThat(description).as(name).contains("Least role: `" + role + "`");
        assertThat(contract.problemTypes(name, 401))
            .as(name)
            .containsExactly(ProblemType.UNAUTHENTICATED.type().toString());
        assertThat(contract.problemTypes(name, 403))
            .as(name)
            .containsExactly(ProblemType.FORBIDDEN.type().toString());
      }
    }
  }

  @Test
  void theCatalogHasEveryProblemTypeWithItsStatusAndTitle() {
    JsonNode examples = contract.document.path("components").path("examples");
    Set<String> slugs = new TreeSet<>();
    for (ProblemType type : ProblemType.values()) {
      String slug = type.type().toString().substring(ProblemType.BASE.length());
      slugs.add(slug);
      JsonNode problem = examples.path(slug).path("value");
      assertThat(problem.path("type").asText()).as(slug).isEqualTo(type.type().toString());
      assertThat(problem.path("status").asInt()).as(slug).isEqualTo(type.status());
      assertThat(problem.path("title").asText()).as(slug).isEqualTo(type.title());
      contract.assertValid(
          "example " + slug, parse("{\"$ref\": \"#/components/schemas/Problem\"}"), problem);
    }
    assertThat(names(examples.fieldNames())).as("nothing but problem types").isEqualTo(slugs);
  }

  @Test
  void everyErrorResponseIsAProblemListingTypesOfItsStatus() {
    Set<String> listed = new HashSet<>();
    for (String name : contract.operations()) {
      contract
          .operation(name)
          .path("responses")
          .properties()
          .forEach(
              entry -> {
                int status = Integer.parseInt(entry.getKey());
                JsonNode response = contract.resolve(entry.getValue());
                assertThat(response.path("description").asText()).as(name).isNotBlank();
                if (status < 400) return;
                String what = name + " " + status;
                JsonNode content = response.path("content");
                assertThat(names(content.fieldNames()))
                    .as(what)
                    .containsExactly("application/problem+json");
                assertThat(content.path("application/problem+json").path("schema"))
                    .as(what)
                    .isEqualTo(parse("{\"$ref\": \"#/components/schemas/Problem\"}"));
                Set<String> types = contract.problemTypes(response);
                assertThat(types).as(what).isNotEmpty();
                if (name.equals("GET /metrics") && status == 404) {
                  assertThat(types).containsExactly(ProblemType.ROUTE_NOT_FOUND.type().toString());
                  return;
                }
                for (JsonNode example : content.path("application/problem+json").path("examples")) {
                  assertThat(contract.resolve(example).path("value").path("status").asInt())
                      .as("%s lists a problem of its status", what)
                      .isEqualTo(status);
                }
                listed.addAll(types);
              });
    }
    for (ProblemType type : ProblemType.values()) {
      assertThat(listed.contains(type.type().toString()))
          .as("some operation lists %s", type)
          .isEqualTo(!UNROUTED.contains(type));
    }
  }

  @Test
  void theDocumentIsServedToAnyoneAsCheckedIn() {
    ApiClient anonymous = new ApiClient(api.port());
    for (String[] headers :
        List.of(new String[0], new String[] {"Authorization", "Bearer pfk_unknown_credential"})) {
      HttpResponse<String> response = anonymous.get(OpenApiRoute.PATH, headers);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
      assertThat(response.body()).isEqualTo(contract.text);
      contract.check(response);
    }
  }

  private static JsonNode parse(String text) {
    return Json.parse(text);
  }

  private static Set<String> names(Iterator<String> names) {
    Set<String> set = new TreeSet<>();
    names.forEachRemaining(set::add);
    return set;
  }
}
