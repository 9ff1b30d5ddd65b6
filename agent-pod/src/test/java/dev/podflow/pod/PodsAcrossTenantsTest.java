package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods act as {@code podflow_pod}: under row-level security they still claim every tenant's tasks,
 * and each task and event they write carries its instance's tenant.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PodsAcrossTenantsTest {
  private static final List<String> TENANTS = List.of("tenant-one", "tenant-two", "tenant-three");

  @Test
  void podsRunEveryTenantsProcessesAndWriteEachRowWithItsInstancesTenant(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      for (String tenant : TENANTS) {
        h.catalog.publish(tenant, "test", Definitions.linear("two-steps", "noop", "noop"));
        for (int i = 0; i < 30; i++) {
          h.starter.start(
              new StartCommand("two-steps", Json.object().put("n", i), null, null, tenant, null));
        }
      }
      for (int i = 0; i < 3; i++) h.startPod(PodConfig.defaults("tenancy-" + i).withSlots(2));
      Eventually.await(
          Duration.ofMinutes(1),
          "90 processes of three tenants completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 90);

      for (String table : List.of("todolist", "events")) {
        assertThat(
                h.count(
                    "SELECT count(*) FROM "
                        + table
                        + " r JOIN bpm_proc_inst i ON i.id = r.proc_inst_id"
                        + " WHERE r.tenant_id <> i.tenant_id"))
            .as(table + " rows of another tenant than their instance's")
            .isZero();
        assertThat(h.count("SELECT count(DISTINCT tenant_id) FROM " + table))
            .as("tenants in " + table)
            .isEqualTo(TENANTS.size());
      }
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'DONE'")).isEqualTo(180);
    }
  }
}
