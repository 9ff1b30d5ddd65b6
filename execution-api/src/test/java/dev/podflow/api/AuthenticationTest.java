package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.podflow.api.auth.JwtSettings;
import dev.podflow.store.Database;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every {@code /api/} route takes credentials (an API key, or a JWT when configured) and the role
 * it declares; health, readiness and metrics stay open.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class AuthenticationTest {
  private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long!";
  private static final String UNKNOWN_PROCESS =
      "/api/v1/processes/3f2b6c1e-0000-4000-8000-000000000000";

  /** Every route of the API with a path that matches it, and a body where it takes one. */
  private static final List<String[]> API_ROUTES =
      List.of(
          new String[] {"POST", "/api/v1/definitions", "{}"},
          new String[] {"GET", "/api/v1/definitions", null},
          new String[] {"GET", "/api/v1/definitions/greet", null},
          new String[] {"GET", "/api/v1/definitions/greet/versions", null},
          new String[] {"POST", "/api/v1/agents", "{}"},
          new String[] {"GET", "/api/v1/agents", null},
          new String[] {"GET", "/api/v1/agents/writer", null},
          new String[] {"POST", "/api/v1/agents/writer/knowledge", "{}"},
          new String[] {"GET", "/api/v1/agents/writer/memories", null},
          new String[] {"DELETE", "/api/v1/agents/writer/memories/1", null},
          new String[] {"POST", "/api/v1/agents/writer/memories/1/promote", null},
          new String[] {"POST", "/api/v1/documents", "{}"},
          new String[] {"GET", "/api/v1/documents", null},
          new String[] {"GET", "/api/v1/documents/1", null},
          new String[] {"DELETE", "/api/v1/documents/1", null},
          new String[] {"GET", "/api/v1/audit", null},
          new String[] {"POST", "/api/v1/mcp-servers", "{}"},
          new String[] {"GET", "/api/v1/mcp-servers", null},
          new String[] {"GET", "/api/v1/mcp-servers/files", null},
          new String[] {"PATCH", "/api/v1/mcp-servers/files", "{}"},
          new String[] {"DELETE", "/api/v1/mcp-servers/files", null},
          new String[] {"PUT", "/api/v1/secrets/TOKEN", "{\"value\":\"v\"}"},
          new String[] {"GET", "/api/v1/secrets", null},
          new String[] {"DELETE", "/api/v1/secrets/TOKEN", null},
          new String[] {"POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"},
          new String[] {"POST", "/api/v1/processes", "{}"},
          new String[] {"GET", "/api/v1/processes", null},
          new String[] {"GET", UNKNOWN_PROCESS, null},
          new String[] {"POST", UNKNOWN_PROCESS + "/cancel", null},
          new String[] {"POST", UNKNOWN_PROCESS + "/retry", null},
          new String[] {"GET", UNKNOWN_PROCESS + "/events", null},
          new String[] {"GET", "/api/v1/tasks", null},
          new String[] {"POST", "/api/v1/tasks/1/complete", "{}"},
          new String[] {"POST", "/api/v1/tasks/1/feedback", "{}"},
          new String[] {"GET", "/api/v1/me", null},
          new String[] {"GET", "/api/v1/users/ann", null},
          new String[] {"PUT", "/api/v1/users/ann", "{}"},
          new String[] {"POST", "/api/v1/users/ann/devices", "{}"},
          new String[] {"GET", "/api/v1/users/ann/devices", null},
          new String[] {"DELETE", "/api/v1/users/ann/devices/t", null},
          new String[] {"GET", "/api/v1/users/ann/notifications", null},
          new String[] {"POST", "/api/v1/users/ann/notifications/1/read", null},
          new String[] {"POST", "/api/v1/stream-tokens", null});

  private Database db;
  private ExecutionApi api;
  private ApiClient anonymous;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0)
                .withJwt(JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_SECRET", SECRET))));
    anonymous = new ApiClient(api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> call(ApiClient client, String[] route, String... headers) {
    return switch (route[0]) {
      case "GET" -> client.get(route[1], headers);
      case "DELETE" -> client.delete(route[1], headers);
      default -> client.sendJson(route[0], route[1], route[2] == null ? "{}" : route[2], headers);
    };
  }

  @Test
  void everyApiRouteAnswers401WithoutCredentials() {
    for (String[] route : API_ROUTES) {
      HttpResponse<String> response = call(anonymous, route);
      assertProblem(response, 401, "unauthenticated");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .as("%s %s", route[0], route[1])
          .hasValue("Bearer realm=\"podflow\"");
    }
  }

  @Test
  void healthReadinessMetricsAndTheOpenApiDocumentStayOpen() {
    assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(anonymous.get(OpenApiRoute.PATH).statusCode()).isEqualTo(200);
  }

  @Test
  void aBadCredentialIs401WithInvalidTokenAndIsNeverEchoed() {
    String revoked = ApiClient.issueKey(db, "default", Role.ADMIN, null);
    new ApiKeys(db.jdbi(), Clock.systemUTC()).revoke(revoked.substring(0, 16), "test");
    String wrongSecret = revoked.substring(0, 17) + "x".repeat(40);
    for (String credential :
        List.of("Bearer " + revoked, "Bearer " + wrongSecret, "Bearer not-a-jwt", "Basic YTpi")) {
      HttpResponse<String> response = anonymous.get("/api/v1/tasks", "Authorization", credential);
      assertProblem(response, 401, "unauthenticated");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"podflow\", error=\"invalid_token\"");
      assertThat(response.body()).doesNotContain(credential.substring(7));
    }
  }

  @Test
  void theTableNamesEveryApiRouteOnce() {
    // The OpenAPI document is the one open /api/ route (OpenApiDocumentTest).
    List<String> registered =
        api.routes().stream()
            .filter(route -> route.contains(" /api/") || route.endsWith(" " + McpEndpoint.PATH))
            .filter(route -> !route.equals("GET " + OpenApiRoute.PATH))
            .sorted()
            .toList();
    List<String> tabled =
        API_ROUTES.stream()
            .map(route -> routeOf(registered, route[0] + " " + route[1]))
            .sorted()
            .toList();
    assertThat(tabled).containsExactlyElementsOf(registered);
  }

  /** The registered route ({@code GET /api/v1/processes/{id}}) that a request would take. */
  private static String routeOf(List<String> registered, String request) {
    return registered.stream()
        .filter(
            route ->
                Arrays.stream(route.split("\\{[^/}]+}", -1))
                    .map(Pattern::quote)
                    .collect(Collectors.joining("[^/]+"))
                    .transform(Pattern::compile)
                    .matcher(request)
                    .matches())
        .findFirst()
        .orElse("no route for " + request);
  }

  @Test
  void eachRouteAdmitsItsRoleAndAbove() {
    ApiClient user = anonymous.withKey(ApiClient.issueKey(db, "default", Role.USER, "ann"));
    ApiClient operator = anonymous.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    ApiClient admin = anonymous.withKey(ApiClient.issueKey(db, "default", Role.ADMIN, null));
    // route -> the least role it admits
    Map<String, Role> least =
        Map.ofEntries(
            Map.entry("POST /api/v1/definitions", Role.ADMIN),
            Map.entry("GET /api/v1/definitions", Role.USER),
            Map.entry("GET /api/v1/definitions/greet", Role.USER),
            Map.entry("GET /api/v1/definitions/greet/versions", Role.USER),
            Map.entry("POST /api/v1/agents", Role.ADMIN),
            Map.entry("GET /api/v1/agents", Role.OPERATOR),
            Map.entry("GET /api/v1/agents/writer", Role.OPERATOR),
            Map.entry("POST /api/v1/agents/writer/knowledge", Role.ADMIN),
            Map.entry("GET /api/v1/agents/writer/memories", Role.USER),
            Map.entry("DELETE /api/v1/agents/writer/memories/1", Role.USER),
            Map.entry("POST /api/v1/agents/writer/memories/1/promote", Role.OPERATOR),
            Map.entry("POST /api/v1/documents", Role.ADMIN),
            Map.entry("GET /api/v1/documents", Role.OPERATOR),
            Map.entry("GET /api/v1/documents/1", Role.OPERATOR),
            Map.entry("DELETE /api/v1/documents/1", Role.ADMIN),
            Map.entry("GET /api/v1/audit", Role.ADMIN),
            Map.entry("POST /api/v1/mcp-servers", Role.ADMIN),
            Map.entry("GET /api/v1/mcp-servers", Role.ADMIN),
            Map.entry("GET /api/v1/mcp-servers/files", Role.ADMIN),
            Map.entry("PATCH /api/v1/mcp-servers/files", Role.ADMIN),
            Map.entry("DELETE /api/v1/mcp-servers/files", Role.ADMIN),
            Map.entry("PUT /api/v1/secrets/TOKEN", Role.ADMIN),
            Map.entry("GET /api/v1/secrets", Role.ADMIN),
            Map.entry("DELETE /api/v1/secrets/TOKEN", Role.ADMIN),
            Map.entry("POST /mcp", Role.USER),
            Map.entry("POST /api/v1/processes", Role.USER),
            Map.entry("GET /api/v1/processes", Role.USER),
            Map.entry("GET " + UNKNOWN_PROCESS, Role.USER),
            Map.entry("POST " + UNKNOWN_PROCESS + "/cancel", Role.OPERATOR),
            Map.entry("POST " + UNKNOWN_PROCESS + "/retry", Role.OPERATOR),
            Map.entry("GET " + UNKNOWN_PROCESS + "/events", Role.USER),
            Map.entry("GET /api/v1/tasks", Role.USER),
            Map.entry("POST /api/v1/tasks/1/complete", Role.USER),
            Map.entry("POST /api/v1/tasks/1/feedback", Role.USER),
            Map.entry("GET /api/v1/me", Role.USER),
            Map.entry("GET /api/v1/users/ann", Role.USER),
            Map.entry("PUT /api/v1/users/ann", Role.USER),
            Map.entry("POST /api/v1/users/ann/devices", Role.USER),
            Map.entry("GET /api/v1/users/ann/devices", Role.USER),
            Map.entry("DELETE /api/v1/users/ann/devices/t", Role.USER),
            Map.entry("GET /api/v1/users/ann/notifications", Role.USER),
            Map.entry("POST /api/v1/users/ann/notifications/1/read", Role.USER),
            Map.entry("POST /api/v1/stream-tokens", Role.USER));
    assertThat(least).hasSameSizeAs(API_ROUTES);
    Map<Role, ApiClient> clients =
        Map.of(Role.USER, user, Role.OPERATOR, operator, Role.ADMIN, admin);
    for (String[] route : API_ROUTES) {
      Role required = least.get(route[0] + " " + route[1]);
      for (Role role : Role.values()) {
        HttpResponse<String> response = call(clients.get(role), route);
        if (role.includes(required)) {
          assertThat(response.statusCode())
              .as("%s %s as %s: %s", route[0], route[1], role, response.body())
              .isNotIn(401, 403);
        } else {
          assertProblem(response, 403, "forbidden");
          assertThat(json(response).path("detail").asText()).contains(required.wireName());
        }
      }
    }
  }

  @Test
  void aJwtStartsAProcessInItsTenantAsItsUser() throws Exception {
    // The definition of the token's tenant: another tenant's greet would be unknown to it.
    new ApiClient(api.port(), ApiClient.issueKey(db, "acme", Role.ADMIN, null))
        .postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));
    String token = hs256(Map.of("sub", "u-42", "tenant_id", "acme", "role", "user"));
    HttpResponse<String> started =
        anonymous.postJson(
            "/api/v1/processes",
            Map.of("definitionId", "greet"),
            "Authorization",
            "Bearer " + token);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = json(started).path("id").asText();
    Map<String, Object> row =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT tenant_id, initiator FROM bpm_proc_inst WHERE id = CAST(:id AS uuid)")
                        .bind("id", id)
                        .mapToMap()
                        .one());
    assertThat(row).containsEntry("tenant_id", "acme").containsEntry("initiator", "u-42");
  }

  @Test
  void aJwtWithoutAPodflowRoleIsForbidden() throws Exception {
    String token = hs256(Map.of("sub", "svc", "tenant_id", "acme", "role", "service_role"));
    assertProblem(
        anonymous.get("/api/v1/tasks", "Authorization", "Bearer " + token), 403, "forbidden");
  }

  private ApiClient admin() {
    return ApiClient.admin(db, api.port());
  }

  private static String hs256(Map<String, Object> claims) throws Exception {
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(300)));
    claims.forEach(builder::claim);
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
    jwt.sign(new MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
