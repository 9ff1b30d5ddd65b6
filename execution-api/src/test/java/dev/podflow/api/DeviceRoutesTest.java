package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link UserRoutes}' devices through HTTP on the real database: a user registers, lists and
 * deletes its own, an admin those of any user of its tenant, anyone else gets 404; a token
 * registered again moves to its new user, across tenants too, and is active again; answers and the
 * audit log show only a token's last 8 characters; refused devices write nothing.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DeviceRoutesTest {
  private static final String TOKEN =
      "fGx1c2VyLWFkYS1waG9uZQ:APA91bH" + "x".repeat(120) + "Q7kz_3Pq";

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private ApiClient admin;
  private ApiClient ada;
  private ApiClient bob;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    admin = ApiClient.admin(db, api.port());
    ada = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    bob = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "bob"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aUserRegistersListsAndDeletesItsDevicesShownByTheirLastCharacters() {
    JsonNode registered = expect(201, register(ada, "ada", TOKEN, "android"));
    assertThat(registered.path("tokenEnd").asText()).isEqualTo("Q7kz_3Pq");
    assertThat(registered.path("platform").asText()).isEqualTo("android");
    assertThat(registered.path("retiredAt").isNull()).isTrue();
    assertThat(registered.toString()).doesNotContain(TOKEN.substring(0, 20));
    expect(201, register(ada, "ada", "web-token-of-ada", "web"));

    JsonNode again = expect(200, register(ada, "ada", TOKEN, "ios"));
    assertThat(again.path("platform").asText()).isEqualTo("ios");
    JsonNode listed = expect(200, ada.get("/api/v1/users/ada/devices")).path("devices");
    assertThat(listed).hasSize(2);
    assertThat(listed.toString()).doesNotContain(TOKEN.substring(0, 20));
    assertThat(rows("ada")).containsExactlyInAnyOrder(TOKEN, "web-token-of-ada");

    expect(204, ada.delete("/api/v1/users/ada/devices/" + TOKEN));
    assertProblem(ada.delete("/api/v1/users/ada/devices/" + TOKEN), 404, "device-not-found");
    assertThat(rows("ada")).containsExactly("web-token-of-ada");
    assertThat(AuditTrail.of(db, "device.%"))
        .containsExactly(
            "device.registered ada {\"new\":true,\"platform\":\"android\",\"tokenEnd\":\"Q7kz_3Pq\"}",
            "device.registered ada {\"new\":true,\"platform\":\"web\",\"tokenEnd\":\"n-of-ada\"}",
            "device.registered ada {\"new\":false,\"platform\":\"ios\",\"tokenEnd\":\"Q7kz_3Pq\"}",
            "device.deleted ada {\"platform\":\"ios\",\"tokenEnd\":\"Q7kz_3Pq\"}");
    assertThat(String.join(" ", AuditTrail.of(db, "device.%")))
        .doesNotContain(TOKEN.substring(0, 20));
  }

  @Test
  void anAdminManagesAnyUsersDevicesAndOtherUsersSeeNone() {
    expect(201, register(admin, "bob", TOKEN, "android"));
    assertProblem(ada.get("/api/v1/users/bob/devices"), 404, "user-not-found");
    assertProblem(register(ada, "bob", "planted-by-ada", "web"), 404, "user-not-found");
    assertProblem(ada.delete("/api/v1/users/bob/devices/" + TOKEN), 404, "user-not-found");
    assertProblem(register(admin, "nobody", "a-token", "web"), 404, "user-not-found");
    ApiClient acme = admin.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, null));
    assertProblem(acme.get("/api/v1/users/bob/devices"), 404, "user-not-found");
    assertThat(rows("bob")).containsExactly(TOKEN);

    String tokenEnd =
        expect(200, admin.get("/api/v1/users/bob/devices"))
            .path("devices")
            .get(0)
            .path("tokenEnd")
            .asText();
    expect(204, admin.delete("/api/v1/users/bob/devices/" + tokenEnd));
    assertThat(rows("bob")).isEmpty();
    assertThat(expect(200, bob.get("/api/v1/users/bob/devices")).path("devices")).isEmpty();
  }

  @Test
  void aTokenRegisteredAgainMovesToItsNewUserAcrossTenantsAndIsActiveAgain() {
    expect(201, register(ada, "ada", TOKEN, "android"));
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE device_tokens SET retired_at = now(), retired_reason = 'UNREGISTERED'"));

    JsonNode moved = expect(200, register(bob, "bob", TOKEN, "android"));
    assertThat(moved.path("retiredAt").isNull()).isTrue();
    assertThat(moved.path("retiredReason").isNull()).isTrue();
    assertThat(rows("ada")).isEmpty();
    assertThat(rows("bob")).containsExactly(TOKEN);

    ApiClient carol = admin.withKey(ApiClient.issueKey(db, "acme", Role.USER, "carol"));
    expect(200, register(carol, "carol", TOKEN, "ios"));
    assertThat(rows("bob")).isEmpty();
    assertThat(expect(200, bob.get("/api/v1/users/bob/devices")).path("devices")).isEmpty();
    List<String> owners =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT tenant_id || ' ' || recipient FROM device_tokens")
                        .mapTo(String.class)
                        .list());
    assertThat(owners).containsExactly("acme carol");
  }

  @Test
  void refusedDevicesAreProblemsAndRegisterNothing() {
    List<String[]> invalid =
        List.of(
            new String[] {"{\"platform\":\"web\"}", "/token"},
            new String[] {"{\"token\":\"\",\"platform\":\"web\"}", "/token"},
            new String[] {"{\"token\":\"a b\",\"platform\":\"web\"}", "/token"},
            new String[] {"{\"token\":\"a\\tb\",\"platform\":\"web\"}", "/token"},
            new String[] {"{\"token\":\"a/b\",\"platform\":\"web\"}", "/token"},
            new String[] {
              "{\"token\":\"" + "t".repeat(4097) + "\",\"platform\":\"web\"}", "/token"
            },
            new String[] {"{\"token\":42,\"platform\":\"web\"}", "/token"},
            new String[] {"{\"token\":\"t\"}", "/platform"},
            new String[] {"{\"token\":\"t\",\"platform\":\"windows\"}", "/platform"},
            new String[] {"{\"token\":\"t\",\"platform\":\"web\",\"user\":\"bob\"}", "/user"});
    for (String[] body : invalid) {
      HttpResponse<String> refused = ada.postJson("/api/v1/users/ada/devices", body[0]);
      JsonNode problem = assertProblem(refused, 422, "invalid-device");
      assertThat(problem.path("errors").get(0).path("pointer").asText())
          .as(body[0])
          .isEqualTo(body[1]);
      contract.check(refused);
    }
    assertProblem(ada.postJson("/api/v1/users/ada/devices", "{\"token\":"), 400, "malformed-json");
    assertProblem(
        ada.postJson("/api/v1/users/ada/devices", "{\"token\":\"a\\u0000\",\"platform\":\"web\"}"),
        422,
        "unstorable-json");
    assertThat(count("device_tokens")).isZero();
    assertThat(AuditTrail.of(db, "device.%")).isEmpty();

    // The longest token is taken; past the most active devices a user has, one more is refused.
    expect(201, register(ada, "ada", "t".repeat(4096), "web"));
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO device_tokens (token, tenant_id, recipient, platform)"
                        + " SELECT 'bulk-' || n, 'default', 'ada', 'web'"
                        + " FROM generate_series(2, ?) n",
                    UserRoutes.DEVICE_LIMIT));
    JsonNode full =
        assertProblem(register(ada, "ada", "one-too-many", "web"), 422, "invalid-device");
    assertThat(full.path("errors").get(0).path("detail").asText()).contains("100 active devices");
    expect(200, register(ada, "ada", "bulk-2", "android"));
    assertThat(count("device_tokens")).isEqualTo(UserRoutes.DEVICE_LIMIT);
  }

  // --- helpers ---

  private HttpResponse<String> register(
      ApiClient client, String user, String token, String platform) {
    String path = "/api/v1/users/" + user + "/devices";
    Map<String, String> body = Map.of("token", token, "platform", platform);
    contract.checkRequest("POST", path, body);
    return client.postJson(path, body);
  }

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return contract.check(response);
  }

  private List<String> rows(String user) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT token FROM device_tokens WHERE tenant_id = 'default'"
                            + " AND recipient = :user AND retired_at IS NULL")
                    .bind("user", user)
                    .mapTo(String.class)
                    .list());
  }

  private long count(String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }
}
