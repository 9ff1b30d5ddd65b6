package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The upgrade to definitions and agents of a tenant (V13): a database filled by Podflow before it
 * (migrated up to V12, definitions and agents shared by all tenants, instances of two tenants
 * running on them) is migrated to the latest version. The old definitions and agents are tenant
 * {@code default}'s, still read and started there; an instance of another tenant started on a
 * shared definition still runs, on the copy its tenant got; and every new row must name its tenant.
 * The tasks from before get their instance's tenant (V15), and the pods, under row-level security,
 * finish them.
 */
class TenantDefinitionsUpgradeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void oldDefinitionsAndAgentsBecomeTheDefaultTenantsAndRunningInstancesCarryOn() {
    TestDatabase db = TestDatabase.migratedUpTo("12");
    try {
      UUID atDefault = UUID.randomUUID();
      UUID atAcme = UUID.randomUUID();
      db.database()
          .jdbi()
          .useHandle(
              h -> {
                definition(h, "legacy", 1, "first");
                definition(h, "legacy", 2, "second");
                h.execute(
                    "INSERT INTO proc_def (id, version, name, definition) VALUES ('letters', 1,"
                        + " 'letters', ?::jsonb)",
                    Json.write(
                        Json.parse(
                            """
                            {"id":"letters","name":"letters","activities":[
                              {"id":"write","orchestrator":"llm-action",
                               "config":{"agent":"writer","prompt":"Write"}}]}""")));
                h.execute("INSERT INTO agents (id, name) VALUES ('writer', 'Writer')");
                h.execute("INSERT INTO agents (id, name) VALUES ('unused', 'Unused')");
                running(h, atDefault, "default", "legacy", 1, "first");
                running(h, atAcme, "acme", "legacy", 2, "second");
                h.execute(
                    "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status,"
                        + " tenant_id) VALUES (?, 'letters', 1, 'COMPLETED', 'acme')",
                    UUID.randomUUID());
              });

      assertThat(db.database().migrate()).as("V13 and later").isGreaterThanOrEqualTo(1);

      assertThat(rows(db, "SELECT tenant_id || ':' || id || '@' || version FROM proc_def"))
          .as("default holds what was stored; acme a copy of what its instances ran")
          .containsExactlyInAnyOrder(
              "default:legacy@1",
              "default:legacy@2",
              "default:letters@1",
              "acme:legacy@1",
              "acme:legacy@2",
              "acme:letters@1");
      assertThat(
              rows(
                  db,
                  "SELECT DISTINCT i.tenant_id || ':' || t.tenant_id FROM todolist t"
                      + " JOIN bpm_proc_inst i ON i.id = t.proc_inst_id"))
          .as("V15 gives the tasks from before their instance's tenant")
          .containsExactlyInAnyOrder("default:default", "acme:acme");
      assertThat(rows(db, "SELECT tenant_id || ':' || id FROM agents"))
          .as("acme gets the agents its copied definitions name")
          .containsExactlyInAnyOrder("default:writer", "default:unused", "acme:writer");
      assertThat(
              rows(
                  db,
                  "SELECT indexname FROM pg_indexes WHERE tablename IN ('proc_def', 'agents')"
                      + " ORDER BY indexname"))
          .containsExactly(
              "agents_pkey",
              "agents_tenant_created",
              "proc_def_pkey",
              "proc_def_tenant_created",
              "proc_def_tenant_versions");
      assertThatThrownBy(
              () ->
                  db.database()
                      .jdbi()
                      .useHandle(
                          h -> h.execute("INSERT INTO agents (id, name) VALUES ('nameless', 'x')")))
          .as("the backfill's default is gone: an insert must name its tenant")
          .hasMessageContaining("tenant_id");

      try (PodHarness h = new PodHarness(db)) {
        assertThat(h.catalog.latest(StartCommand.DEFAULT_TENANT, "legacy").version()).isEqualTo(2);
        assertThat(h.catalog.get("acme", "legacy", 1).definition().activities())
            .extracting(a -> a.id())
            .containsExactly("first");
        UUID startedNow = h.start("legacy");
        assertThat(
                h.catalog.publish("acme", "test", Definitions.linear("legacy", "noop")).version())
            .as("acme's next version follows its copies")
            .isEqualTo(3);
        h.startPod(PodConfig.defaults("u1").withPollInterval(Duration.ofMillis(200)));
        Eventually.await(
            PATIENCE,
            "the instances from before the upgrade and the one started after it complete",
            () ->
                List.of(atDefault, atAcme, startedNow).stream()
                    .allMatch(id -> h.instanceStatus(id).equals("COMPLETED")));
        assertThat(h.tasksOf(atDefault)).extracting(Task::activityId).containsExactly("first");
        assertThat(h.tasksOf(atAcme))
            .as("acme's instance runs the version it started with, in its tenant")
            .extracting(Task::activityId)
            .containsExactly("second");
        assertThat(h.tasksOf(startedNow)).extracting(Task::activityId).containsExactly("second");
      }
    } finally {
      db.database().close();
    }
  }

  /** A version of a one-activity definition, as Podflow before V13 stored it. */
  private static void definition(Handle h, String id, int version, String activity) {
    h.execute(
        "INSERT INTO proc_def (id, version, name, definition) VALUES (?, ?, ?, ?::jsonb)",
        id,
        version,
        id,
        Json.write(
            Json.parse(
                """
                {"id":"%s","name":"%s","activities":[{"id":"%s","orchestrator":"noop",
                 "maxAttempts":3,"priority":0,"timeoutSeconds":3600,"next":[]}]}"""
                    .formatted(id, id, activity))));
  }

  /** A running instance of a tenant with its first task due. */
  private static void running(
      Handle h, UUID id, String tenant, String definition, int version, String activity) {
    h.execute(
        "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, tenant_id)"
            + " VALUES (?, ?, ?, ?)",
        id,
        definition,
        version,
        tenant);
    h.execute(
        "INSERT INTO todolist (proc_inst_id, activity_id, orchestrator) VALUES (?, ?, 'noop')",
        id,
        activity);
  }

  private static List<String> rows(TestDatabase db, String sql) {
    return db.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
  }
}
