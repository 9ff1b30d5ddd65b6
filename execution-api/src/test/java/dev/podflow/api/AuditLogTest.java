package dev.podflow.api;

import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changes to definitions, agents and keys each leave one entry in their tenant's audit log, naming
 * who made them, in the change's transaction; {@code GET /api/v1/audit} lists the caller's tenant's
 * entries, newest first, paged, and no entry holds a key's secret.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class AuditLogTest {
  private static final String AUDIT = "/api/v1/audit";

  private Database db;
  private ExecutionApi api;
  private String adminKey;
  private ApiClient admin;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    adminKey = ApiClient.issueKey(db, "acme", Role.ADMIN, null);
    admin = new ApiClient(api.port(), adminKey);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aPublishedDefinitionLeavesOneEntryAndARefusedOneNone() {
    long before = rows();
    assertThat(
            admin
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop").toString())
                .statusCode())
        .isEqualTo(201);
    assertThat(
            admin
                .postJson("/api/v1/definitions", "{\"id\":\"bad\",\"activities\":[]}")
                .statusCode())
        .isEqualTo(422);
    HttpResponse<String> unknownAgent =
        admin.postJson(
            "/api/v1/definitions",
            """
            {"id":"ask","activities":[{"id":"a","orchestrator":"llm-action",
              "config":{"agent":"nobody","prompt":"hi"}}]}""");
    assertThat(unknownAgent.statusCode()).as(unknownAgent.body()).isEqualTo(422);

    assertThat(rows()).as("one entry, for the stored version only").isEqualTo(before + 1);
    JsonNode entry = entries(admin).getFirst();
    assertThat(entry.path("actor").asText()).isEqualTo(actorOf(adminKey));
    assertThat(entry.path("action").asText()).isEqualTo("definition.published");
    assertThat(entry.path("subject").asText()).isEqualTo("greet@1");
    assertThat(entry.path("id").isIntegralNumber()).isTrue();
    assertThat(entry.path("at").asText()).isNotBlank();
    assertThat(entry.path("details").isObject()).isTrue();
  }

  @Test
  void creatingThenReplacingAnAgentLeavesCreatedThenUpdated() {
    String writer = "{\"id\":\"writer\",\"name\":\"Writer\"}";
    assertThat(admin.postJson("/api/v1/agents", writer).statusCode()).isEqualTo(201);
    assertThat(admin.postJson("/api/v1/agents", writer).statusCode()).isEqualTo(200);
    assertThat(admin.postJson("/api/v1/agents", "{\"id\":\"w\"}").statusCode()).isEqualTo(422);

    List<String> agentEntries =
        entries(admin).stream()
            .filter(e -> e.path("action").asText().startsWith("agent."))
            .map(
                e ->
                    e.path("actor").asText()
                        + " "
                        + e.path("action").asText()
                        + " "
                        + e.path("subject").asText())
            .toList();
    String actor = actorOf(adminKey);
    assertThat(agentEntries)
        .as("newest first")
        .containsExactly(actor + " agent.updated writer", actor + " agent.created writer");
  }

  @Test
  void issuingAndRevokingAKeyEachLeaveOneEntryWithoutItsSecret() {
    ApiKeys keys = new ApiKeys(db.jdbi(), Clock.systemUTC());
    // A tenant of its own: api_keys outlives a test (other tests' keys of acme/ann would be
    // revoked too).
    String tenant = "audit-" + UUID.randomUUID();
    ApiClient own = admin.withKey(ApiClient.issueKey(db, tenant, Role.ADMIN, null));
    String key = keys.create(tenant, Role.USER, "ann", null, "cli").wholeKey();
    String id = key.substring(0, 16);
    assertThat(keys.revoke(id, "cli")).isPresent();
    assertThat(keys.revoke(id, "cli")).as("revoked before: nothing more recorded").isPresent();
    assertThat(keys.revokeAllOf(tenant, "ann", "demo")).isZero();

    List<String> keyEntries =
        entries(own).stream()
            .filter(e -> e.path("subject").asText().equals(id))
            .map(e -> e.path("actor").asText() + " " + e.path("action").asText())
            .toList();
    assertThat(keyEntries).containsExactly("cli key.revoked", "cli key.created");

    String another = keys.create(tenant, Role.USER, "bob", null, "demo").wholeKey();
    assertThat(keys.revokeAllOf(tenant, "bob", "demo")).isOne();
    assertThat(
            entries(own).stream()
                .filter(e -> e.path("subject").asText().equals(another.substring(0, 16)))
                .map(e -> e.path("actor").asText() + " " + e.path("action").asText()))
        .containsExactly("demo key.revoked", "demo key.created");

    String everything =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT coalesce(string_agg(audit_log::text, ' '), '') FROM audit_log")
                        .mapTo(String.class)
                        .one());
    for (String whole : List.of(key, another, adminKey)) {
      assertThat(everything).contains(whole.substring(0, 16)).doesNotContain(whole.substring(17));
    }
  }

  @Test
  void aTenantListsOnlyItsOwnEntriesNewestFirstInPages() {
    ApiClient globex = admin.withKey(ApiClient.issueKey(db, "globex", Role.ADMIN, null));
    assertThat(globex.postJson("/api/v1/agents", "{\"id\":\"spy\",\"name\":\"Spy\"}").statusCode())
        .isEqualTo(201);
    for (int i = 0; i < 5; i++) {
      String body = "{\"id\":\"a" + i + "\",\"name\":\"A\"}";
      assertThat(admin.postJson("/api/v1/agents", body).statusCode()).isEqualTo(201);
    }

    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          json(ok(admin.get(AUDIT + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))));
      assertThat(page.path("entries").size()).isLessThanOrEqualTo(2);
      page.path("entries").forEach(all::add);
      cursor = page.path("next").isNull() ? null : page.path("next").asText();
    } while (cursor != null);

    assertThat(all).extracting(e -> e.path("subject").asText()).doesNotContain("spy");
    assertThat(all.stream().filter(e -> e.path("action").asText().equals("agent.created")))
        .extracting(e -> e.path("subject").asText())
        .containsExactly("a4", "a3", "a2", "a1", "a0");
    assertThat(all)
        .extracting(e -> e.path("id").asLong())
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(all).as("this tenant's key issued at the start").hasSize(6);
    assertThat(entries(globex))
        .extracting(e -> e.path("subject").asText())
        .contains("spy")
        .doesNotContain("a0");
    assertThat(
            admin
                .withKey(ApiClient.issueKey(db, "acme", Role.OPERATOR, null))
                .get(AUDIT)
                .statusCode())
        .isEqualTo(403);
  }

  private List<JsonNode> entries(ApiClient client) {
    List<JsonNode> entries = new ArrayList<>();
    json(ok(client.get(AUDIT + "?limit=500"))).path("entries").forEach(entries::add);
    return entries;
  }

  private long rows() {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
  }

  private static String actorOf(String key) {
    return "key:" + key.substring(0, 16);
  }

  private static HttpResponse<String> ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }
}
