package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceFilter;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.mcp.McpServerDao;
import dev.podflow.store.secret.SecretDao;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each list's statement, exactly as its DAO runs it, is served by the V12 index meant for it: an
 * index scan that returns the rows in the list's order from the cursor on (an index condition, not
 * a filter), so it stops after a page, with no Sort. On a small table, reading every match (a
 * sequential or bitmap scan) and sorting them is cheapest, so those are discouraged, inside a
 * transaction that is rolled back; what the plans show is which index serves each list, and that it
 * serves the order, not the cost at a million rows.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ListPlanTest {
  /**
   * Where the pages with a cursor start: among the rows, which {@link #fill} dates back from now.
   */
  private static final Instant CURSOR_AT = Instant.now().minusSeconds(100);

  private static final int LIMIT = 51;

  private TestDatabase testDb;

  @BeforeEach
  void start(TestDatabase testDb) {
    this.testDb = testDb;
  }

  @Test
  void theProcessListTakesTheIndexOfItsFilter() {
    assertPlan(
        sql(InstanceDao.class, "instanceList"),
        q -> instances(q, null, null, null, null),
        "bpm_proc_inst_tenant_created",
        false);
    assertPlan(
        sql(InstanceDao.class, "instanceList"),
        q -> instances(q, null, null, null, UUID.randomUUID()),
        "bpm_proc_inst_tenant_created",
        true);
    assertPlan(
        sql(InstanceDao.class, "instanceList"),
        q -> instances(q, InstanceStatus.ERROR, null, null, UUID.randomUUID()),
        "bpm_proc_inst_tenant_status_created",
        true);
    assertPlan(
        sql(InstanceDao.class, "instanceList"),
        q -> instances(q, null, "def-3", null, UUID.randomUUID()),
        "bpm_proc_inst_tenant_definition_created",
        true);
    assertPlan(
        sql(InstanceDao.class, "instanceList"),
        q -> instances(q, null, null, "user-7", UUID.randomUUID()),
        "bpm_proc_inst_tenant_initiator_created",
        true);
  }

  @Test
  void theInboxTakesItsAssigneesIndexOrEveryones() {
    String sql = sql(TaskDao.class, "taskListWaiting");
    assertPlan(sql, q -> tasks(q, "user-7", null), "todolist_inbox", false);
    assertPlan(sql, q -> tasks(q, "user-7", 12L), "todolist_inbox", true);
    assertPlan(sql, q -> tasks(q, null, null), "todolist_waiting", false);
    assertPlan(sql, q -> tasks(q, null, 12L), "todolist_waiting", true);
  }

  @Test
  void theDefinitionAndAgentListsTakeTheirIndexes() {
    assertPlan(
        sql(DefinitionDao.class, "definitionListLatest"),
        q -> page(q.bind("tenantId", "tenant-1"), "def-3"),
        "proc_def_tenant_created",
        true);
    assertPlan(
        sql(DefinitionDao.class, "definitionListVersions"),
        q ->
            page(q.bind("tenantId", "tenant-1").bind("id", "def-3"), null)
                .bindByType("afterVersion", 2, Integer.class),
        "proc_def_tenant_versions",
        true);
    assertPlan(
        sql(AgentDao.class, "agentList"),
        q -> page(q.bind("tenantId", "tenant-1"), "agent-3"),
        "agents_tenant_created",
        true);
  }

  @Test
  void theMcpServerAndSecretListsTakeTheirIndexes() {
    assertPlan(
        sql(McpServerDao.class, "mcpServerList"),
        q -> page(q.bind("tenantId", "tenant-1"), "afterName", "server-3"),
        "mcp_servers_tenant_created",
        true);
    assertPlan(
        sql(SecretDao.class, "secretList"),
        q -> page(q.bind("tenantId", "tenant-1"), "afterName", "SECRET_3"),
        "tenant_secrets_tenant_created",
        true);
  }

  private static Query instances(
      Query q, InstanceStatus status, String definition, String initiator, UUID afterId) {
    return q.bindMethods(new InstanceFilter("tenant-1", status, definition, initiator, null, null))
        .bind("afterCreatedAt", afterId == null ? null : CURSOR_AT)
        .bindByType("afterId", afterId, UUID.class)
        .bind("limit", LIMIT);
  }

  private static Query tasks(Query q, String assignee, Long afterId) {
    return q.bind("tenantId", "tenant-1")
        .bind("assignee", assignee)
        .bind("afterCreatedAt", afterId == null ? null : CURSOR_AT)
        .bindByType("afterId", afterId, Long.class)
        .bind("limit", LIMIT);
  }

  /** The cursor's parameters and the limit of a list keyed by text ({@code afterId}). */
  private static Query page(Query q, String afterId) {
    return page(q, "afterId", afterId);
  }

  /** The cursor's parameters and the limit of a list keyed by text (its parameter {@code key}). */
  private static Query page(Query q, String key, String after) {
    if (after != null) q.bind(key, after);
    return q.bind("afterCreatedAt", CURSOR_AT).bind("limit", LIMIT);
  }

  /** The statement the DAO's method runs, as jdbi's SQL object locator finds it. */
  private static String sql(Class<?> dao, String method) {
    return ClasspathSqlLocator.removingComments().locate(dao, method);
  }

  /**
   * Asserts that {@code sql}, with the parameters {@code bind} gives it, scans {@code index} and
   * sorts nothing; with {@code cursor}, that the scan starts at the cursor ({@code created_at} is
   * in the index condition).
   */
  private void assertPlan(String sql, Consumer<Query> bind, String index, boolean cursor) {
    testDb
        .database()
        .jdbi()
        .useTransaction(
            h -> {
              fill(h);
              h.execute("SET LOCAL enable_seqscan = off");
              h.execute("SET LOCAL enable_bitmapscan = off");
              Query explain = h.createQuery("EXPLAIN (FORMAT JSON) " + sql);
              bind.accept(explain);
              JsonNode plan = Json.parse(explain.mapTo(String.class).one()).get(0).get("Plan");
              List<JsonNode> nodes = new ArrayList<>();
              collect(plan, nodes);
              String described = plan.toPrettyString();
              assertThat(nodes)
                  .as("no sort in %s", described)
                  .noneMatch(n -> n.get("Node Type").asText().contains("Sort"));
              JsonNode scan =
                  nodes.stream()
                      .filter(n -> index.equals(n.path("Index Name").asText()))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError(index + " is not in " + described));
              assertThat(scan.get("Node Type").asText())
                  .as(described)
                  .isIn("Index Scan", "Index Only Scan");
              if (cursor) {
                assertThat(scan.path("Index Cond").asText()).as(described).contains("created_at");
              }
              h.rollback();
            });
  }

  /**
   * A few thousand rows spread as a busy system's are (four tenants, most instances completed, few
   * failed, many definitions and initiators), and the statistics of them, so the planner weighs the
   * indexes as it would there.
   */
  private static void fill(Handle h) {
    h.execute(
        """
        INSERT INTO proc_def (tenant_id, id, version, name, definition, created_at)
        SELECT 'tenant-' || t, 'def-' || d, v, 'Definition ' || d, '{}',
               now() - make_interval(days => 20 - v, mins => d)
        FROM generate_series(0, 3) t, generate_series(1, 200) d, generate_series(1, 3) v""");
    h.execute(
        """
        INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, initiator, tenant_id,
                                   created_at)
        SELECT gen_random_uuid(), 'def-' || (1 + g / 4 % 20), 1,
               CASE WHEN g / 4 % 100 = 0 THEN 'ERROR' WHEN g / 4 % 10 = 0 THEN 'RUNNING'
                    ELSE 'COMPLETED' END,
               'user-' || (g / 80 % 50), 'tenant-' || (g % 4),
               now() - make_interval(secs => g)
        FROM generate_series(1, 4000) g""");
    h.execute(
        """
        INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, status,
                              waiting_for, assignee, created_at)
        SELECT id, tenant_id, 'a1', 'human',
               CASE WHEN row_number() OVER () % 20 = 0 THEN 'WAITING' ELSE 'DONE' END,
               CASE WHEN row_number() OVER () % 20 = 0 THEN 'PERSON' END,
               initiator, created_at
        FROM bpm_proc_inst""");
    h.execute(
        """
        INSERT INTO agents (tenant_id, id, name, created_at)
        SELECT 'tenant-' || (g % 4), 'agent-' || g, 'Agent ' || g, now() - make_interval(secs => g)
        FROM generate_series(1, 200) g""");
    h.execute(
        "INSERT INTO tenants (id) SELECT 'tenant-' || t FROM generate_series(0, 3) t"
            + " ON CONFLICT DO NOTHING");
    h.execute(
        """
        INSERT INTO mcp_servers (tenant_id, name, url, headers, created_by, created_at)
        SELECT 'tenant-' || (g % 4), 'server-' || g, 'https://mcp.example.com/' || g, '{}', 'test',
               now() - make_interval(secs => g)
        FROM generate_series(1, 200) g""");
    h.execute(
        """
        INSERT INTO tenant_secrets (tenant_id, name, ciphertext, created_at)
        SELECT 'tenant-' || (g % 4), 'SECRET_' || g, decode(repeat('01', 40), 'hex'),
               now() - make_interval(secs => g)
        FROM generate_series(1, 200) g""");
    h.execute("ANALYZE proc_def, bpm_proc_inst, todolist, agents, mcp_servers, tenant_secrets");
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    into.add(node);
    for (JsonNode child : node.path("Plans")) collect(child, into);
  }
}
