package dev.podflow.engine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.Engine;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.definition.TestOrchestrators;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The completion's generic plan (the one a pod's prepared statement settles on) finds its tasks by
 * primary key. With the running-tasks index as V1 to V9 had it ({@code WHERE status =
 * 'IN_PROGRESS'}), the completion's own {@code status = 'IN_PROGRESS'} fence matched that index's
 * predicate, and the plan ANDed a scan of the whole index with the primary key lookup: a cost that
 * grew with the tasks running and the pods claiming.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class CompletionPlanTest {
  private static final String COMPLETE = "dev/podflow/store/HotSql/taskComplete.sql";

  @Test
  void theCompletionFindsItsTasksByPrimaryKeyAlone(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("plan", "noop"));
    testDb.insertDueNoopTasks("plan", 20_000);
    f.claim("pod", 100);

    testDb
        .database()
        .jdbi()
        .useTransaction(
            h -> {
              h.execute("ANALYZE todolist");
              assertThat(genericPlan(h))
                  .contains("todolist_pkey")
                  .doesNotContain("todolist_lease_expiry");

              // The index as it was: the same plan takes it (rolled back with the transaction).
              h.execute("DROP INDEX todolist_lease_expiry");
              h.execute(
                  "CREATE INDEX todolist_lease_expiry ON todolist (lease_expires_at)"
                      + " WHERE status = 'IN_PROGRESS'");
              h.execute("ANALYZE todolist");
              assertThat(genericPlan(h)).contains("todolist_lease_expiry");
              h.rollback();
            });
  }

  /**
   * A pod's session plans the completion once, generically, however short its arrays: a custom plan
   * (PostgreSQL's choice for short arrays, and for the first five runs of any prepared statement)
   * would plan it anew on the run (see Database's start-up options).
   */
  @Test
  void aPodsSessionPlansTheCompletionOnceForAllItsRuns(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("plan", "noop"));
    testDb.insertDueNoopTasks("plan", 30);
    try (Database pod =
        Database.connect(testDb.config().withRole(DatabaseRole.POD).withPool(1, "plan-pod"))) {
      Engine engine = Engine.inline(pod.jdbi(), TestOrchestrators.REGISTRY);
      for (int i = 0; i < 30; i++) {
        ClaimedTask claimed = engine.queue().claim("pod", EngineFixture.LEASE, 1).getFirst();
        engine.completions().complete(claimed.task(), Json.object());
      }
      Map<String, Object> plans =
          pod.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                                  + " WHERE statement LIKE 'WITH done AS%'")
                          .mapToMap()
                          .one());
      assertThat(plans).containsEntry("custom_plans", 0L);
      assertThat((Long) plans.get("generic_plans")).isGreaterThanOrEqualTo(25L);
    }
  }

  /** EXPLAIN of the completion statement as a generic plan, for three tasks. */
  private static String genericPlan(Handle h) {
    String named = ClasspathSqlLocator.removingComments().getResource(COMPLETE);
    ParsedSql parsed = new ColonPrefixSqlParser().parse(named, null);
    List<String> names = parsed.getParameters().getParameterNames();
    Map<String, String> values =
        Map.of(
            "ids", "{1,2,3}",
            "claimTokens",
                "{00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002,"
                    + "00000000-0000-0000-0000-000000000003}",
            "outputs", "{\"{}\",\"{}\",\"{}\"}");
    List<String> distinct = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    String jdbc = parsed.getSql();
    int next = 0;
    for (String name : names) {
      int at = jdbc.indexOf('?', next);
      if (!distinct.contains(name)) distinct.add(name);
      sql.append(jdbc, next, at).append('$').append(distinct.indexOf(name) + 1);
      next = at + 1;
    }
    sql.append(jdbc.substring(next));
    h.execute("DEALLOCATE ALL");
    h.execute("SET LOCAL plan_cache_mode = force_generic_plan");
    h.execute("PREPARE complete AS " + sql);
    String arguments =
        String.join(", ", distinct.stream().map(n -> "'" + values.get(n) + "'").toList());
    return String.join(
        "\n",
        h.createQuery("EXPLAIN EXECUTE complete(" + arguments + ")").mapTo(String.class).list());
  }
}
