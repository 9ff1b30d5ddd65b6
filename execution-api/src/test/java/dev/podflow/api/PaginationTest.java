package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one paging contract ({@link Page}), on every list endpoint: newest first by {@code
 * (created_at, key)}, the key breaking ties; {@code limit} items a page; {@code next} the cursor of
 * the page after, null on the last; bad limits and cursors are 400s. Rows are written directly,
 * with equal {@code created_at} values, so the tie-break is what orders them.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PaginationTest {
  /** Seven creation times, newest first: two alike, three alike, two alike, a microsecond apart. */
  private static final List<Instant> CREATED =
      List.of(
          Instant.parse("2025-03-01T10:00:00.000003Z"),
          Instant.parse("2025-03-01T10:00:00.000003Z"),
          Instant.parse("2025-03-01T10:00:00.000002Z"),
          Instant.parse("2025-03-01T10:00:00.000002Z"),
          Instant.parse("2025-03-01T10:00:00.000002Z"),
          Instant.parse("2025-03-01T10:00:00.000001Z"),
          Instant.parse("2025-03-01T10:00:00.000001Z"));

  private static final int[] LIMITS = {1, 2, 3, 7, 8, 500};

  /** Every list endpoint: its path, the name its cursors carry and a key of its kind. */
  private static final List<ListRoute> LISTS =
      List.of(
          new ListRoute("/api/v1/processes", "processes", UUID.randomUUID()),
          new ListRoute("/api/v1/tasks?status=WAITING", "tasks", 5L),
          new ListRoute("/api/v1/definitions", "definitions", "d1"),
          new ListRoute("/api/v1/definitions/d1/versions", "versions", 3),
          new ListRoute("/api/v1/agents", "agents", "a1"),
          new ListRoute("/api/v1/audit", "audit", 5L));

  private record ListRoute(String path, String name, Object key) {
    String cursor() {
      return new Cursor<>(CREATED.getFirst(), key).encode(name);
    }

    String withParam(String param) {
      return PaginationTest.withParam(path, param);
    }
  }

  private Database db;
  private ExecutionApi api;
  private ApiClient client;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A row's creation time and key, in the order the lists promise. */
  private record Row(Instant createdAt, String key) {
    static final Comparator<Row> NEWEST_FIRST =
        Comparator.comparing(Row::createdAt).thenComparing(Row::key).reversed();
  }

  @Test
  void processesPageNewestFirstEachExactlyOnce() {
    definition("d1", 1, CREATED.getLast());
    List<Row> rows = new ArrayList<>();
    for (Instant createdAt : CREATED) rows.add(new Row(createdAt, instance("d1", createdAt)));

    assertEveryLimitListsAll("/api/v1/processes", "processes", "id", rows);
  }

  @Test
  void aProcessStartedWhilePagingNeitherRepeatsNorShiftsAnItem() {
    definition("d1", 1, CREATED.getLast());
    List<Row> rows = new ArrayList<>();
    for (Instant createdAt : CREATED) rows.add(new Row(createdAt, instance("d1", createdAt)));
    rows.sort(Row.NEWEST_FIRST);

    JsonNode first = ok(client.get("/api/v1/processes?limit=3"));
    instance("d1", CREATED.getFirst().plusSeconds(1));
    JsonNode rest =
        ok(client.get("/api/v1/processes?limit=10&cursor=" + first.get("next").asText()));

    List<String> seen = new ArrayList<>(keys(first, "processes", "id"));
    seen.addAll(keys(rest, "processes", "id"));
    assertThat(seen).containsExactlyElementsOf(rows.stream().map(Row::key).toList());
    assertThat(rest.get("next").isNull()).isTrue();
  }

  @Test
  void tasksPageNewestFirstEachExactlyOnce() {
    definition("d1", 1, CREATED.getLast());
    List<Row> rows = new ArrayList<>();
    for (Instant createdAt : CREATED) {
      rows.add(
          new Row(createdAt, Long.toString(waitingTask(instance("d1", createdAt), createdAt))));
    }
    // Long ids compare as numbers, not as their text: every id here has one digit.
    assertEveryLimitListsAll("/api/v1/tasks?status=WAITING", "tasks", "id", rows);
  }

  @Test
  void definitionsPageNewestFirstInTheirLatestVersions() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < CREATED.size(); i++) {
      String id = "d" + (i + 1);
      definition(id, 1, CREATED.getLast().minusSeconds(60)); // an older version, never listed
      definition(id, 2, CREATED.get(i));
      rows.add(new Row(CREATED.get(i), id));
    }
    assertEveryLimitListsAll("/api/v1/definitions", "definitions", "id", rows);
    JsonNode first = ok(client.get("/api/v1/definitions?limit=1")).get("definitions").get(0);
    assertThat(first.get("version").asInt()).isEqualTo(2);
    assertThat(first.get("name").asText()).isEqualTo("Definition d2");
    assertThat(first.get("createdAt").asText()).isEqualTo("2025-03-01T10:00:00.000003Z");
    assertThat(first.has("activities")).isFalse();
  }

  @Test
  void versionsPageNewestFirstEachExactlyOnce() {
    List<Row> rows = new ArrayList<>();
    for (int v = 1; v <= CREATED.size(); v++) {
      Instant createdAt = CREATED.get(CREATED.size() - v);
      definition("d1", v, createdAt);
      rows.add(new Row(createdAt, Integer.toString(v)));
    }
    definition("d2", 1, CREATED.getFirst()); // another definition's
    // Versions compare as numbers, not as their text: every version here has one digit.
    assertEveryLimitListsAll("/api/v1/definitions/d1/versions", "versions", "version", rows);
    assertProblem(client.get("/api/v1/definitions/none/versions"), 404, "definition-not-found");
  }

  @Test
  void agentsPageNewestFirstAsTheAgentRouteShowsThem() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < CREATED.size(); i++) {
      String id = "a" + (i + 1);
      Instant createdAt = CREATED.get(i);
      db.jdbi()
          .useHandle(
              h ->
                  h.createUpdate(
                          "INSERT INTO agents (tenant_id, id, name, created_at)"
                              + " VALUES ('default', :id, :id, :createdAt)")
                      .bind("id", id)
                      .bind("createdAt", createdAt)
                      .execute());
      rows.add(new Row(createdAt, id));
    }
    assertEveryLimitListsAll("/api/v1/agents", "agents", "id", rows);
    JsonNode first = ok(client.get("/api/v1/agents?limit=1")).get("agents").get(0);
    assertThat(first).isEqualTo(json(client.get("/api/v1/agents/" + first.get("id").asText())));
  }

  @Test
  void auditEntriesPageNewestFirstEachExactlyOnce() {
    for (Instant at : CREATED) {
      db.jdbi()
          .useHandle(
              h ->
                  h.createUpdate(
                          "INSERT INTO audit_log (tenant_id, at, actor, action, subject)"
                              + " VALUES ('default', :at, 'test', 'agent.updated', 'a1')")
                      .bind("at", at)
                      .execute());
    }
    // With the entry of the admin key the test's client was issued.
    List<Row> rows =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT at, id FROM audit_log WHERE tenant_id = 'default'")
                        .map(
                            (rs, ctx) ->
                                new Row(rs.getTimestamp("at").toInstant(), rs.getString("id")))
                        .list());
    assertThat(rows).hasSize(CREATED.size() + 1);
    assertEveryLimitListsAll("/api/v1/audit", "entries", "id", rows);
  }

  @Test
  void everyListRefusesLimitsOutsideOneTo500() {
    for (ListRoute list : LISTS) {
      for (String limit : List.of("0", "-1", "501", "abc", "1.5", "")) {
        JsonNode problem =
            assertProblem(client.get(list.withParam("limit=" + limit)), 400, "invalid-request");
        assertThat(problem.get("detail").asText()).as(list.path()).contains("limit", "500");
      }
    }
  }

  @Test
  void everyListRefusesACursorItDidNotGiveOut() {
    definition("d1", 1, CREATED.getFirst());
    for (ListRoute list : LISTS) {
      String valid = list.cursor();
      assertThat(client.get(list.withParam("cursor=" + valid)).statusCode())
          .as(list.path())
          .isEqualTo(200);

      String text = new String(Base64.getUrlDecoder().decode(valid), StandardCharsets.UTF_8);
      String changed = text.substring(0, text.length() - 1) + (text.endsWith("1") ? "2" : "1");
      List<String> refused =
          new ArrayList<>(
              List.of(
                  "",
                  "null",
                  "not-base64!",
                  valid.substring(0, valid.length() - 4),
                  valid + "=",
                  Base64.getUrlEncoder()
                      .withoutPadding()
                      .encodeToString(changed.getBytes(StandardCharsets.UTF_8))));
      LISTS.stream().filter(other -> other != list).forEach(other -> refused.add(other.cursor()));
      if (!(list.key() instanceof String)) {
        refused.add(new Cursor<>(CREATED.getFirst(), "x").encode(list.name()));
      }
      for (String cursor : refused) {
        JsonNode problem =
            assertProblem(client.get(list.withParam("cursor=" + cursor)), 400, "invalid-request");
        assertThat(problem.get("detail").asText())
            .as("%s with cursor %s", list.path(), cursor)
            .contains("start again without cursor");
      }
    }
  }

  /**
   * Pages through {@code path} with each of {@link #LIMITS}: every page but the last is full and
   * has a {@code next}, the last has {@code next} null, and together they hold {@code rows} newest
   * first, each once.
   */
  private void assertEveryLimitListsAll(String path, String items, String key, List<Row> rows) {
    List<String> expected = rows.stream().sorted(Row.NEWEST_FIRST).map(Row::key).toList();
    for (int limit : LIMITS) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        String query = "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
        JsonNode page = ok(client.get(withParam(path, query)));
        assertThat(page.has("next")).as("next is always there").isTrue();
        seen.addAll(keys(page, items, key));
        cursor = page.get("next").isNull() ? null : page.get("next").asText();
        assertThat(page.get(items).size())
            .as("page %d of %s with limit %d", pages, path, limit)
            .isEqualTo(cursor == null ? expected.size() - pages * limit : limit);
        pages++;
      } while (cursor != null);
      assertThat(seen).as("%s with limit %d", path, limit).containsExactlyElementsOf(expected);
    }
  }

  private static String withParam(String path, String param) {
    return path + (path.contains("?") ? "&" : "?") + param;
  }

  private static List<String> keys(JsonNode page, String items, String key) {
    List<String> keys = new ArrayList<>();
    page.get(items).forEach(item -> keys.add(item.get(key).asText()));
    return keys;
  }

  private void definition(String id, int version, Instant createdAt) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO proc_def (tenant_id, id, version, name, definition, created_at)"
                            + " VALUES ('default', :id, :version, 'Definition ' || :id,"
                            + " jsonb_build_object('id', :id, 'name', 'Definition ' || :id,"
                            + " 'activities', jsonb_build_array(jsonb_build_object('id', 'check',"
                            + " 'orchestrator', 'human'))), :createdAt)")
                    .bind("id", id)
                    .bind("version", version)
                    .bind("createdAt", createdAt)
                    .execute());
  }

  /** An instance of tenant default, started by ann; returns its id. */
  private String instance(String definitionId, Instant createdAt) {
    UUID id = UUID.randomUUID();
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO bpm_proc_inst"
                            + " (id, proc_def_id, proc_def_version, initiator, created_at)"
                            + " VALUES (:id, :definitionId, 1, 'ann', :createdAt)")
                    .bind("id", id)
                    .bind("definitionId", definitionId)
                    .bind("createdAt", createdAt)
                    .execute());
    return id.toString();
  }

  /** A task of the instance, waiting for ann; returns its id. */
  private long waitingTask(String instanceId, Instant createdAt) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator,"
                            + " status, waiting_for, assignee, created_at)"
                            + " SELECT id, tenant_id, 'check', 'human', 'WAITING', 'PERSON', 'ann',"
                            + " :createdAt FROM bpm_proc_inst WHERE id = CAST(:instance AS uuid)"
                            + " RETURNING id")
                    .bind("instance", instanceId)
                    .bind("createdAt", createdAt)
                    .mapTo(Long.class)
                    .one());
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }
}
