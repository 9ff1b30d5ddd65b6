package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.McpServerSpec;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.store.Database;
import dev.podflow.store.auth.Role;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/mcp-servers} and {@code /api/v1/secrets}: what a tenant's admin may register, what
 * is refused and why (the stdio allowlist, the outbound guard, credentials in clear, names the
 * catalogue holds), switching a server off and on, the tenant boundary, and a secret store that
 * never gives a value back and holds only ciphertext.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class McpServerRoutesTest {
  private static final String SERVERS = "/api/v1/mcp-servers";
  private static final String SECRETS = "/api/v1/secrets";
  private static final SecretCipher CIPHER =
      SecretCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[32]));

  /** {@code cat} on the allowlist, loopback allowed, a catalogue offering "search" to everyone. */
  private static final McpAdmission PERMISSIVE =
      new McpAdmission(
          new StdioCommands(List.of("cat"), "/usr/bin:/bin"),
          new OutboundGuard(List.of("127.0.0.1/32")),
          List.of(McpServerSpec.http("search", "https://search.example/mcp", Map.of())));

  private Database db;
  private ExecutionApi api;
  private ApiClient admin;

  @BeforeEach
  void keepDatabase(Database db) {
    this.db = db;
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
  }

  private void start(McpAdmission admission, Optional<SecretCipher> secrets) {
    if (api != null) api.close();
    api =
        ExecutionApi.start(
            db,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0).withMcpAdmission(admission).withSecrets(secrets));
    admin = ApiClient.admin(db, api.port());
  }

  private long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  void aStdioServerIsRegisteredSwitchedOffAndOnAndRemoved() {
    start(PERMISSIVE, Optional.empty());
    HttpResponse<String> created =
        admin.postJson(
            SERVERS,
            "{\"name\":\"notes\",\"command\":\"cat\",\"args\":[\"-u\"],"
                + "\"env\":{\"NOTES_TOKEN\":\"${NOTES_TOKEN}\",\"LANG\":\"C\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue(SERVERS + "/notes");
    JsonNode server = json(created);
    assertThat(server.path("transport").asText()).isEqualTo("stdio");
    assertThat(server.path("enabled").asBoolean()).isTrue();
    assertThat(server.has("url")).isFalse();

    JsonNode off = json(admin.sendJson("PATCH", SERVERS + "/notes", "{\"enabled\":false}"));
    assertThat(off.path("enabled").asBoolean()).isFalse();
    assertThat(off.path("args").get(0).asText()).as("the other fields are kept").isEqualTo("-u");
    assertThat(count("SELECT count(*) FROM mcp_servers WHERE NOT enabled")).isEqualTo(1);
    JsonNode on = json(admin.sendJson("PATCH", SERVERS + "/notes", "{\"enabled\":true}"));
    assertThat(on.path("enabled").asBoolean()).isTrue();

    JsonNode http =
        json(admin.sendJson("PATCH", SERVERS + "/notes", "{\"url\":\"http://127.0.0.1:9/mcp\"}"));
    assertThat(http.path("transport").asText()).as("url switches the transport").isEqualTo("http");
    assertThat(http.has("command") || http.has("args") || http.has("env")).isFalse();

    JsonNode list = json(admin.get(SERVERS));
    assertThat(list.path("servers")).hasSize(1);
    assertThat(list.path("catalogue").get(0).asText()).isEqualTo("search");

    assertThat(admin.delete(SERVERS + "/notes").statusCode()).isEqualTo(204);
    assertProblem(admin.get(SERVERS + "/notes"), 404, "mcp-server-not-found");
    assertThat(
            count(
                "SELECT count(*) FROM audit_log WHERE action IN"
                    + " ('mcp_server.created', 'mcp_server.updated', 'mcp_server.deleted')"))
        .isEqualTo(5);
  }

  @Test
  void aCommandOffTheAllowlistIsRefusedAndNothingIsStored() {
    start(PERMISSIVE, Optional.empty());
    JsonNode problem =
        assertProblem(
            admin.postJson(SERVERS, "{\"name\":\"shell\",\"command\":\"sh\",\"args\":[\"-c\"]}"),
            422,
            "invalid-mcp-server");
    assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/command");
    assertThat(problem.path("errors").get(0).path("detail").asText())
        .contains("'sh'", StdioCommands.SETTING);

    start(McpAdmission.refuseAll(), Optional.empty());
    JsonNode none =
        assertProblem(
            admin.postJson(SERVERS, "{\"name\":\"notes\",\"command\":\"cat\"}"),
            422,
            "invalid-mcp-server");
    assertThat(none.path("errors").get(0).path("detail").asText())
        .contains(StdioCommands.SETTING + " is empty");
    assertThat(count("SELECT count(*) FROM mcp_servers")).isZero();
  }

  @Test
  void loopbackPrivateAndMetadataUrlsAreRefusedUnlessAllowed() {
    start(McpAdmission.refuseAll(), Optional.empty());
    for (String url :
        List.of(
            "http://127.0.0.1:8080/mcp",
            "http://localhost/mcp",
            "http://10.1.2.3/mcp",
            "http://169.254.169.254/latest",
            "http://[::1]/mcp",
            "file:///etc/passwd")) {
      JsonNode problem =
          assertProblem(
              admin.postJson(SERVERS, "{\"name\":\"web\",\"url\":\"" + url + "\"}"),
              422,
              "invalid-mcp-server");
      assertThat(problem.path("errors").get(0).path("pointer").asText()).as(url).isEqualTo("/url");
    }
    assertThat(count("SELECT count(*) FROM mcp_servers")).isZero();

    start(PERMISSIVE, Optional.empty());
    assertThat(
            admin
                .postJson(SERVERS, "{\"name\":\"web\",\"url\":\"http://127.0.0.1:8080/mcp\"}")
                .statusCode())
        .as("allowed by " + OutboundGuard.SETTING)
        .isEqualTo(201);
  }

  @Test
  void credentialsInClearAreRefusedWithoutEchoingThem() {
    start(PERMISSIVE, Optional.empty());
    HttpResponse<String> refused =
        admin.postJson(
            SERVERS,
            "{\"name\":\"gh\",\"url\":\"http://127.0.0.1:1/mcp?api_key=k-123\","
                + "\"headers\":{\"Authorization\":\"Bearer ghp_abcdef\",\"X-Trace\":\"1\"}}");
    JsonNode problem = assertProblem(refused, 422, "invalid-mcp-server");
    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/url", "/headers/Authorization");
    assertThat(refused.body()).doesNotContain("ghp_abcdef", "k-123");

    JsonNode badReference =
        assertProblem(
            admin.postJson(
                SERVERS,
                "{\"name\":\"gh\",\"command\":\"cat\",\"env\":{\"TOKEN\":\"${not a name}\"}}"),
            422,
            "invalid-mcp-server");
    assertThat(badReference.path("errors").get(0).path("pointer").asText()).isEqualTo("/env/TOKEN");
    assertThat(count("SELECT count(*) FROM mcp_servers")).isZero();
  }

  @Test
  void namesTakenByTheTenantOrTheCatalogueAre409AndOtherTenantsSeeNothing() {
    start(PERMISSIVE, Optional.empty());
    String body = "{\"name\":\"notes\",\"command\":\"cat\"}";
    assertThat(admin.postJson(SERVERS, body).statusCode()).isEqualTo(201);
    assertProblem(admin.postJson(SERVERS, body), 409, "mcp-server-exists");
    assertProblem(
        admin.postJson(SERVERS, "{\"name\":\"search\",\"command\":\"cat\"}"),
        409,
        "mcp-server-exists");

    ApiClient other = admin.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, null));
    assertProblem(other.get(SERVERS + "/notes"), 404, "mcp-server-not-found");
    assertProblem(
        other.sendJson("PATCH", SERVERS + "/notes", "{\"enabled\":false}"),
        404,
        "mcp-server-not-found");
    assertThat(json(other.get(SERVERS)).path("servers")).isEmpty();
    assertThat(other.postJson(SERVERS, body).statusCode())
        .as("the same name in another tenant is another server")
        .isEqualTo(201);

    ApiClient operator = admin.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    assertProblem(operator.get(SERVERS), 403, "forbidden");
    assertProblem(operator.postJson(SERVERS, body), 403, "forbidden");
  }

  @Test
  void secretsAreStoredEncryptedListedWithoutValuesAndRemoved() {
    start(PERMISSIVE, Optional.of(CIPHER));
    HttpResponse<String> put =
        admin.sendJson("PUT", SECRETS + "/GITHUB_TOKEN", "{\"value\":\"ghp_topsecret\"}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(put.body()).doesNotContain("ghp_topsecret");
    assertThat(
            admin
                .sendJson("PUT", SECRETS + "/GITHUB_TOKEN", "{\"value\":\"ghp_rotated\"}")
                .statusCode())
        .isEqualTo(200);

    byte[] stored =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT ciphertext FROM tenant_secrets")
                        .mapTo(byte[].class)
                        .one());
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("ghp_rotated");
    assertThat(CIPHER.decrypt("default", "GITHUB_TOKEN", stored)).isEqualTo("ghp_rotated");

    HttpResponse<String> list = admin.get(SECRETS);
    assertThat(json(list).path("secrets").get(0).path("name").asText()).isEqualTo("GITHUB_TOKEN");
    assertThat(list.body()).doesNotContain("ghp_");
    assertThat(json(admin.get("/api/v1/audit")).toString()).doesNotContain("ghp_");

    assertThat(admin.delete(SECRETS + "/GITHUB_TOKEN").statusCode()).isEqualTo(204);
    assertProblem(admin.delete(SECRETS + "/GITHUB_TOKEN"), 404, "secret-not-found");
    assertProblem(
        admin.sendJson("PUT", SECRETS + "/1st", "{\"value\":\"v\"}"), 400, "invalid-request");
    assertProblem(
        admin.sendJson("PUT", SECRETS + "/A", "{\"value\":\"v\",\"note\":\"x\"}"),
        400,
        "invalid-request");
  }

  @Test
  void withoutAKeyTheSecretStoreRefusesToStoreAnything() {
    start(PERMISSIVE, Optional.empty());
    JsonNode problem =
        assertProblem(
            admin.sendJson("PUT", SECRETS + "/GITHUB_TOKEN", "{\"value\":\"ghp_x\"}"),
            503,
            "secrets-unavailable");
    assertThat(problem.path("detail").asText()).contains(SecretCipher.KEY_VARIABLE);
    assertThat(count("SELECT count(*) FROM tenant_secrets")).isZero();
    assertThat(json(admin.get(SECRETS)).path("secrets")).isEmpty();
  }
}
