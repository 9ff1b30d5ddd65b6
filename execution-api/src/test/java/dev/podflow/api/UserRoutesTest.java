package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.podflow.api.auth.JwtSettings;
import dev.podflow.store.Database;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link UserRoutes}' users through HTTP on the real database: users recorded by the keys issued to
 * them and by a JWT's first request (its tenant too); a user reads and sets its own profile, an
 * admin any of its tenant's, anyone else gets 404; refused profiles write nothing. Devices are
 * {@link DeviceRoutesTest}'s.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class UserRoutesTest {
  private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long!";

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private ApiClient admin;
  private ApiClient operator;
  private ApiClient ada;
  private ApiClient bob;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0)
                .withJwt(JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_SECRET", SECRET))));
    admin = ApiClient.admin(db, api.port());
    operator = admin.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    ada = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    bob = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "bob"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aKeyRecordsItsUserWithEachRoleAndAUserSetsItsOwnProfile() {
    JsonNode fresh = expect(200, ada.get("/api/v1/users/ada"));
    assertThat(fresh.path("roles").toString()).isEqualTo("[\"user\"]");
    assertThat(fresh.path("email").isNull()).isTrue();
    assertThat(fresh.path("displayName").isNull()).isTrue();
    ApiClient.issueKey(db, "default", Role.OPERATOR, "ada");
    assertThat(expect(200, ada.get("/api/v1/users/ada")).path("roles").toString())
        .isEqualTo("[\"operator\",\"user\"]");

    JsonNode set =
        expect(
            200,
            put(
                ada,
                "/api/v1/users/ada",
                "{\"email\":\"ada@example.com\",\"displayName\":\" Ada L \"}"));
    assertThat(set.path("email").asText()).isEqualTo("ada@example.com");
    assertThat(set.path("displayName").asText()).isEqualTo("Ada L");
    JsonNode cleared = expect(200, put(ada, "/api/v1/users/ada", "{\"displayName\":null}"));
    assertThat(cleared.path("email").asText()).as("left as it was").isEqualTo("ada@example.com");
    assertThat(cleared.path("displayName").isNull()).isTrue();
    JsonNode unchanged = expect(200, put(ada, "/api/v1/users/ada", "{}"));
    assertThat(unchanged.path("updatedAt")).isEqualTo(cleared.path("updatedAt"));
    assertThat(AuditTrail.of(db, "user.%"))
        .containsExactly(
            "user.updated ada {\"fields\":[\"displayName\",\"email\"]}",
            "user.updated ada {\"fields\":[\"displayName\"]}");
  }

  @Test
  void anAdminActsOnEveryUserOfItsTenantAndNoOneElseDoes() {
    assertProblem(ada.get("/api/v1/users/bob"), 404, "user-not-found");
    assertProblem(
        ada.sendJson("PUT", "/api/v1/users/bob", "{\"email\":\"a@evil.example\"}"),
        404,
        "user-not-found");
    assertProblem(operator.get("/api/v1/users/ada"), 404, "user-not-found");
    ApiClient acme = admin.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, "root"));
    assertProblem(acme.get("/api/v1/users/ada"), 404, "user-not-found");
    assertProblem(
        acme.sendJson("PUT", "/api/v1/users/ada", "{\"email\":\"a@acme.example\"}"),
        404,
        "user-not-found");
    assertProblem(admin.get("/api/v1/users/nobody"), 404, "user-not-found");
    assertThat(email("bob")).isNull();
    assertThat(AuditTrail.of(db, "user.%")).isEmpty();

    assertThat(expect(200, admin.get("/api/v1/users/bob")).path("id").asText()).isEqualTo("bob");
    expect(200, put(admin, "/api/v1/users/bob", "{\"email\":\"bob@example.com\"}"));
    assertThat(email("bob")).isEqualTo("bob@example.com");
    assertThat(expect(200, acme.get("/api/v1/users/root")).path("roles").toString())
        .isEqualTo("[\"admin\"]");
  }

  @Test
  void refusedProfilesAreProblemsAndChangeNothing() {
    expect(200, put(ada, "/api/v1/users/ada", "{\"email\":\"ada@example.com\"}"));
    List<String[]> invalid =
        List.of(
            new String[] {"{\"email\":\"ada\"}", "/email"},
            new String[] {"{\"email\":\"ada@\"}", "/email"},
            new String[] {"{\"email\":\"a b@example.com\"}", "/email"},
            new String[] {"{\"email\":\"a@b@c\"}", "/email"},
            new String[] {"{\"email\":\"\"}", "/email"},
            new String[] {"{\"email\":7}", "/email"},
            new String[] {"{\"email\":\"" + "a".repeat(65) + "@example.com\"}", "/email"},
            new String[] {"{\"displayName\":\"  \"}", "/displayName"},
            new String[] {"{\"displayName\":\"" + "n".repeat(201) + "\"}", "/displayName"},
            new String[] {"{\"displayName\":[\"Ada\"]}", "/displayName"},
            new String[] {"{\"roles\":[\"admin\"]}", "/roles"});
    for (String[] body : invalid) {
      JsonNode problem =
          assertProblem(ada.sendJson("PUT", "/api/v1/users/ada", body[0]), 422, "invalid-user");
      assertThat(problem.path("errors").get(0).path("pointer").asText())
          .as(body[0])
          .isEqualTo(body[1]);
      contract.check(ada.sendJson("PUT", "/api/v1/users/ada", body[0]));
    }
    assertProblem(ada.sendJson("PUT", "/api/v1/users/ada", "{\"email\":"), 400, "malformed-json");
    assertProblem(ada.sendJson("PUT", "/api/v1/users/ada", "[]"), 400, "invalid-request");
    assertProblem(
        ada.sendJson("PUT", "/api/v1/users/ada", "{\"displayName\":\"a\\u0000\"}"),
        422,
        "unstorable-json");
    assertProblem(
        ada.send(
            ada.request("/api/v1/users/ada")
                .header("Content-Type", "text/plain")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))),
        415,
        "unsupported-media-type");
    assertThat(email("ada")).isEqualTo("ada@example.com");
    assertThat(AuditTrail.of(db, "user.%")).hasSize(1);
  }

  @Test
  void aJwtsFirstRequestRecordsItsUserAndItsNewTenantAndEachRoleItComesWith() throws Exception {
    String asUser = hs256(Map.of("sub", "u-42", "tenant_id", "newco", "role", "user"));
    JsonNode recorded =
        expect(200, admin.get("/api/v1/users/u-42", "Authorization", "Bearer " + asUser));
    assertThat(recorded.path("roles").toString()).isEqualTo("[\"user\"]");
    assertThat(number("SELECT count(*) FROM tenants WHERE id = 'newco'")).isEqualTo(1);
    String updatedAt = "SELECT updated_at::text FROM users WHERE id = 'u-42'";
    String before = text(updatedAt);
    expect(200, admin.get("/api/v1/users/u-42", "Authorization", "Bearer " + asUser));
    assertThat(text(updatedAt)).as("the same role again writes nothing").isEqualTo(before);

    String asAdmin = hs256(Map.of("sub", "u-42", "tenant_id", "newco", "role", "admin"));
    JsonNode both =
        expect(200, admin.get("/api/v1/users/u-42", "Authorization", "Bearer " + asAdmin));
    assertThat(both.path("roles").toString()).isEqualTo("[\"admin\",\"user\"]");
    // A tenant id the tenants table cannot hold: the request is served, the user not recorded.
    String odd = hs256(Map.of("sub", "u-7", "tenant_id", "bad tenant", "role", "user"));
    assertProblem(
        admin.get("/api/v1/users/u-7", "Authorization", "Bearer " + odd), 404, "user-not-found");
    assertThat(number("SELECT count(*) FROM users WHERE id = 'u-7'")).isZero();
  }

  // --- helpers ---

  private HttpResponse<String> put(ApiClient client, String path, String body) {
    contract.checkRequest("PUT", path, body);
    return client.sendJson("PUT", path, body);
  }

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return contract.check(response);
  }

  private String email(String user) {
    return text("SELECT email FROM users WHERE tenant_id = 'default' AND id = '" + user + "'");
  }

  private long number(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private String text(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).findOne().orElse(null));
  }

  private static String hs256(Map<String, Object> claims) throws Exception {
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(300)));
    claims.forEach(builder::claim);
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
