package dev.podflow.engine.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.TestOrchestrators;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.access.TenantScope;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL itself keeps the tenants apart (migration V15): a connection acting as the API's role
 * with tenant A's setting reads, from every table of the schema, exactly A's rows, and may write
 * none of B's — whatever a query's WHERE clause says or forgets. The API's pool here has one
 * connection, so the tenant changes on one session from statement to statement.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class RowLevelSecurityTest {
  private static final String A = "rls-a";
  private static final String B = "rls-b";

  /**
   * The tables whose rows belong to a tenant and that the API's role reads, with the column that
   * names the tenant.
   */
  private static final List<List<String>> TENANT_TABLES =
      List.of(
          List.of("tenants", "id"),
          List.of("proc_def", "tenant_id"),
          List.of("agents", "tenant_id"),
          List.of("bpm_proc_inst", "tenant_id"),
          List.of("todolist", "tenant_id"),
          List.of("events", "tenant_id"),
          List.of("notifications", "tenant_id"),
          List.of("device_tokens", "tenant_id"),
          List.of("audit_log", "tenant_id"),
          List.of("mcp_servers", "tenant_id"),
          List.of("tenant_secrets", "tenant_id"),
          List.of("task_cleanups", "tenant_id"),
          List.of("a2a_push_configs", "tenant_id"),
          List.of("memories", "tenant_id"),
          List.of("task_feedback", "tenant_id"),
          List.of("documents", "tenant_id"),
          List.of("document_chunks", "tenant_id"),
          List.of("users", "tenant_id"),
          List.of("notification_deliveries", "tenant_id"));

  /**
   * The tables the API's role may not read at all: the keys (authentication goes through {@code
   * podflow_api_key_for_check}), the stream tokens' signing key (the API's readers get it through
   * {@code podflow_stream_token_key}), and the pods' and the migrations' own bookkeeping.
   */
  private static final List<String> CLOSED_TABLES =
      List.of("api_keys", "stream_token_key", "maintenance_runs", "flyway_schema_history");

  @Test
  void theApiRoleReadsOnlyItsTenantsRowsFromEveryTable(TestDatabase testDb) {
    String keyOfA = fillTwoTenants(testDb);
    List<String> tables =
        testDb
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                        .mapTo(String.class)
                        .list());
    List<String> tenantTables = TENANT_TABLES.stream().map(List::getFirst).toList();
    try (Database api =
        Database.connect(testDb.config().withRole(DatabaseRole.API).withPool(1, "rls-api"))) {
      assertThat(tables)
          .as("every table is either read by tenant or closed to the API's role")
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(tenantTables.stream(), CLOSED_TABLES.stream()).toList());
      for (String table : CLOSED_TABLES) {
        assertThatThrownBy(() -> count(api, A, "SELECT count(*) FROM " + table))
            .as(table + " is closed to the API's role")
            .hasMessageContaining("permission denied");
      }
      for (List<String> entry : TENANT_TABLES) {
        String table = entry.get(0);
        String column = entry.get(1);
        long ofA = testDb.number(countOf(table, column, A));
        assertThat(ofA).as(table + " has rows of A").isPositive();
        assertThat(testDb.number(countOf(table, column, B)))
            .as(table + " has rows of B")
            .isPositive();
        assertThat(count(api, A, "SELECT count(*) FROM " + table))
            .as("the rows of " + table + " the API's role sees with A's setting")
            .isEqualTo(ofA);
        assertThat(
                count(
                    api,
                    A,
                    "SELECT count(*) FROM " + table + " WHERE " + column + " <> '" + A + "'"))
            .as("rows of another tenant in " + table)
            .isZero();
        assertThat(count(api, null, "SELECT count(*) FROM " + table))
            .as("rows of " + table + " seen with no tenant set")
            .isZero();
      }
      assertThat(testDb.number(countOf("api_keys", "tenant_id", B))).isPositive();
      // Authentication finds a key before it knows the tenant: through the one function.
      assertThat(new ApiKeys(api.jdbi(), Clock.systemUTC()).check(keyOfA))
          .hasValueSatisfying(key -> assertThat(key.tenantId()).isEqualTo(A));
    }
  }

  @Test
  void theApiRoleMayWriteNothingOfAnotherTenant(TestDatabase testDb) {
    fillTwoTenants(testDb);
    try (Database api =
        Database.connect(testDb.config().withRole(DatabaseRole.API).withPool(1, "rls-api"))) {
      assertThatThrownBy(
              () ->
                  update(
                      api,
                      A,
                      "INSERT INTO device_tokens (token, tenant_id, recipient)"
                          + " VALUES ('planted', '"
                          + B
                          + "', 'bob')"))
          .hasMessageContaining("row-level security");
      assertThat(update(api, A, "UPDATE bpm_proc_inst SET updated_at = now()"))
          .as("instances updated: A's only")
          .isEqualTo(testDb.number(countOf("bpm_proc_inst", "tenant_id", A)));
      assertThat(update(api, A, "DELETE FROM events WHERE tenant_id = '" + B + "'")).isZero();
      assertThat(testDb.number(countOf("events", "tenant_id", B))).isPositive();
      // V16's tables: B's servers and secrets can be neither planted, changed nor deleted.
      assertThatThrownBy(
              () ->
                  update(
                      api,
                      A,
                      "INSERT INTO mcp_servers (tenant_id, name, url, headers, created_by)"
                          + " VALUES ('"
                          + B
                          + "', 'planted', 'https://mcp.example.com', '{}', 'test')"))
          .hasMessageContaining("row-level security");
      assertThatThrownBy(
              () ->
                  update(
                      api,
                      A,
                      "INSERT INTO tenant_secrets (tenant_id, name, ciphertext)"
                          + " VALUES ('"
                          + B
                          + "', 'PLANTED', decode(repeat('01', 40), 'hex'))"))
          .hasMessageContaining("row-level security");
      assertThat(update(api, A, "UPDATE mcp_servers SET enabled = false"))
          .as("servers updated: A's only")
          .isEqualTo(testDb.number(countOf("mcp_servers", "tenant_id", A)));
      assertThat(update(api, A, "UPDATE tenant_secrets SET ciphertext = ciphertext"))
          .as("secrets updated: A's only")
          .isEqualTo(testDb.number(countOf("tenant_secrets", "tenant_id", A)));
      assertThat(update(api, A, "DELETE FROM tenant_secrets WHERE tenant_id = '" + B + "'"))
          .isZero();
      assertThat(update(api, A, "DELETE FROM mcp_servers WHERE tenant_id = '" + B + "'")).isZero();
      assertThat(testDb.number(countOf("mcp_servers", "tenant_id", B) + " AND enabled"))
          .isPositive();
      assertThat(testDb.number(countOf("tenant_secrets", "tenant_id", B))).isPositive();
    }
  }

  /**
   * Pods resolve a step's MCP servers and the secrets they reference at call time, in the step's
   * tenant: their role reads both tables for every tenant and may change neither.
   */
  @Test
  void thePodRoleReadsEveryTenantsServersAndSecretsAndChangesNone(TestDatabase testDb) {
    fillTwoTenants(testDb);
    try (Database pod =
        Database.connect(testDb.config().withRole(DatabaseRole.POD).withPool(1, "rls-pod"))) {
      for (String table : List.of("mcp_servers", "tenant_secrets")) {
        assertThat(count(pod, null, "SELECT count(*) FROM " + table))
            .as("rows of " + table + " the pods' role sees")
            .isEqualTo(testDb.number("SELECT count(*) FROM " + table))
            .isEqualTo(2);
        for (String write :
            List.of(
                "UPDATE " + table + " SET updated_at = now()",
                "DELETE FROM " + table,
                "INSERT INTO " + table + " (tenant_id, name) VALUES ('" + A + "', 'x')")) {
          assertThatThrownBy(() -> update(pod, null, write))
              .as(write)
              .hasMessageContaining("permission denied");
        }
      }
    }
  }

  @Test
  void noRoleOfPodflowsBypassesTheRulesAndTheRulesBindTheOwnerToo(TestDatabase testDb) {
    assertThat(
            testDb.number(
                "SELECT count(*) FROM pg_roles WHERE rolname IN ('podflow_api', 'podflow_pod',"
                    + " 'podflow_metrics', 'podflow_notifier') AND NOT rolsuper AND NOT rolbypassrls"
                    + " AND NOT rolcanlogin"))
        .isEqualTo(4);
    assertThat(
            testDb.number(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tableowner LIKE 'podflow\\_%'"))
        .as("tables owned by one of the roles")
        .isZero();
    assertThat(
            testDb.number(
                "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
                    + " AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity"))
        .as("tables with row-level security enabled and forced: the tenants' and api_keys")
        .isEqualTo(TENANT_TABLES.size() + 1);
  }

  /** Rows of both tenants in every tenant-owned table; returns an admin key of A. */
  private static String fillTwoTenants(TestDatabase testDb) {
    Database db = testDb.database();
    DefinitionCatalog catalog = new DefinitionCatalog(db.jdbi(), TestOrchestrators.REGISTRY);
    Engine engine = new Engine(db.jdbi(), catalog, Notifier.inline(db.jdbi()));
    ApiKeys keys = new ApiKeys(db.jdbi(), Clock.systemUTC());
    String keyOfA = null;
    for (String tenant : List.of(A, B)) {
      // Records ann in users too.
      String key = keys.create(tenant, Role.ADMIN, "ann", null, "test").wholeKey();
      if (tenant.equals(A)) keyOfA = key;
      catalog.publish(tenant, "test", Definitions.linear("greet", "noop"));
      UUID instance =
          engine
              .starter()
              .start(new StartCommand("greet", Json.object().put("n", 1), null, null, tenant, null))
              .instance()
              .id();
      db.jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO agents (tenant_id, id, name) VALUES (?, 'helper', 'Helper')",
                    tenant);
                long notification =
                    h.createQuery(
                            "INSERT INTO notifications (proc_inst_id, tenant_id, recipient, type,"
                                + " title) VALUES (?, ?, 'ann', 'task_assigned', 'A task')"
                                + " RETURNING id")
                        .bind(0, instance)
                        .bind(1, tenant)
                        .mapTo(Long.class)
                        .one();
                h.execute(
                    "INSERT INTO notification_deliveries (notification_id, tenant_id, channel,"
                        + " address) VALUES (?, ?, 'fcm', ?)",
                    notification,
                    tenant,
                    "device-" + tenant);
                h.execute(
                    "INSERT INTO device_tokens (token, tenant_id, recipient) VALUES (?, ?, 'ann')",
                    "device-" + tenant,
                    tenant);
                h.execute(
                    "INSERT INTO mcp_servers (tenant_id, name, command, args, env, created_by)"
                        + " VALUES (?, 'github', 'npx', '[]', '{}', 'test')",
                    tenant);
                h.execute(
                    "INSERT INTO tenant_secrets (tenant_id, name, ciphertext)"
                        + " VALUES (?, 'GITHUB_TOKEN', decode(repeat('01', 40), 'hex'))",
                    tenant);
                h.execute(
                    "INSERT INTO task_cleanups (tenant_id, task_id, orchestrator, payload)"
                        + " VALUES (?, 1, 'a2a', '{}')",
                    tenant);
                h.execute(
                    "INSERT INTO a2a_push_configs (tenant_id, proc_inst_id, url)"
                        + " VALUES (?, ?, 'https://caller.example/hook')",
                    tenant,
                    instance);
                long memory =
                    h.createQuery(
                            "INSERT INTO memories (tenant_id, agent_id, source, content,"
                                + " created_by) VALUES (?, 'helper', 'knowledge', 'A fact', 'test')"
                                + " RETURNING id")
                        .bind(0, tenant)
                        .mapTo(Long.class)
                        .one();
                h.execute(
                    "INSERT INTO task_feedback (tenant_id, task_id, user_id, rating, memory_id)"
                        + " VALUES (?, 1, 'ann', 4, ?)",
                    tenant,
                    memory);
                long document =
                    h.createQuery(
                            "INSERT INTO documents (tenant_id, title, media_type, content,"
                                + " created_by) VALUES (?, 'Handbook', 'text/plain', 'Text', 'test')"
                                + " RETURNING id")
                        .bind(0, tenant)
                        .mapTo(Long.class)
                        .one();
                h.execute(
                    "INSERT INTO document_chunks (document_id, tenant_id, ordinal, content,"
                        + " embedding, embedding_model) VALUES (?, ?, 0, 'Text', array_fill(0.5, ARRAY[384]), 'm')",
                    document,
                    tenant);
              });
    }
    return keyOfA;
  }

  private static String countOf(String table, String column, String tenant) {
    return "SELECT count(*) FROM " + table + " WHERE " + column + " = '" + tenant + "'";
  }

  private static long count(Database db, String tenant, String sql) {
    return TenantScope.call(
        tenant, () -> db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one()));
  }

  private static int update(Database db, String tenant, String sql) {
    return TenantScope.call(tenant, () -> db.jdbi().withHandle(h -> h.execute(sql)));
  }
}
