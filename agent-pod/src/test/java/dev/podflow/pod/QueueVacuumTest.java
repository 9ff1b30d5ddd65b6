package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue vacuum pass: todolist is vacuumed once its dead rows reach the threshold, which gives
 * the claim back an index free of the entries claimed tasks left; it never disturbs pods that are
 * claiming and completing meanwhile; a role that may not vacuum turns it off without failing.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class QueueVacuumTest {
  private static final int TASKS = 5_000;

  private static QueueVacuum vacuum(Database db, long threshold) {
    return vacuum(db, threshold, new SimpleMeterRegistry());
  }

  private static QueueVacuum vacuum(Database db, long threshold, MeterRegistry registry) {
    PodConfig config = PodConfig.defaults("vacuum-test").withQueueVacuumDeadRows(threshold);
    return new QueueVacuum(
        db,
        new ClusterSchedule(db.jdbi(), config.podId()),
        config,
        new PodMetrics(registry, config.podId(), 1, () -> 0));
  }

  /** {@link #TASKS} due tasks, one instance each, then all of them claimed and DONE. */
  private static void claimAndFinishManyTasks(TestDatabase testDb) {
    new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover())
        .publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("noop-def", "noop"));
    testDb.insertDueNoopTasks("noop-def", TASKS);
    testDb
        .database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("VACUUM ANALYZE todolist"); // a clean start: no dead rows yet
              h.execute(
                  "UPDATE todolist SET status = 'IN_PROGRESS', claim_token = gen_random_uuid(),"
                      + " lease_expires_at = now() + interval '1 minute'");
              h.execute("UPDATE todolist SET status = 'DONE', lease_expires_at = NULL");
              // This backend reports its dead rows at its next transaction's end, not a second on.
              h.createQuery("SELECT pg_stat_force_next_flush()").mapTo(String.class).one();
              h.execute("SELECT 1");
            });
    Eventually.await(
        Duration.ofSeconds(10), "the dead rows reported", () -> deadRows(testDb) >= 2L * TASKS);
  }

  private static long deadRows(TestDatabase testDb) {
    return testDb.number(
        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'todolist'::regclass");
  }

  private static long vacuums(TestDatabase testDb) {
    return testDb.number(
        "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'todolist'::regclass");
  }

  /** Index pages the claim's scan reads before it finds a due task (one is added, then removed). */
  private static long claimScanPages(TestDatabase testDb) {
    Jdbi jdbi = testDb.database().jdbi();
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator)"
                    + " SELECT proc_inst_id, tenant_id, 'a2', 'noop' FROM todolist LIMIT 1"));
    JsonNode plan =
        Json.parse(
            testDb.text(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM todolist"
                    + " WHERE status IN ('PENDING', 'FAILED') AND run_after <= now()"
                    + " ORDER BY priority, run_after, id LIMIT 1"));
    jdbi.useHandle(h -> h.execute("DELETE FROM todolist WHERE activity_id = 'a2'"));
    return plan.get(0).get("Plan").get("Shared Hit Blocks").asLong()
        + plan.get(0).get("Plan").get("Shared Read Blocks").asLong();
  }

  @Test
  void theQueueTableIsVacuumedOnceItsDeadRowsReachTheThreshold(TestDatabase testDb) {
    claimAndFinishManyTasks(testDb);
    long before = vacuums(testDb);

    assertThat(vacuum(testDb.database(), 3L * TASKS).runOnce()).as("below the threshold").isFalse();
    assertThat(vacuums(testDb)).isEqualTo(before);

    long pagesBefore = claimScanPages(testDb);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // A pod's pool acts as podflow_pod, which owns nothing: the pass runs as the login, and the
    // connection (the pool's one) acts as podflow_pod again afterwards.
    try (Database pod =
        Database.connect(testDb.config().withRole(DatabaseRole.POD).withPool(1, "vacuum-pod"))) {
      assertThat(vacuum(pod, TASKS, registry).runOnce()).as("at the threshold").isTrue();
      String role =
          pod.jdbi()
              .withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class).one());
      assertThat(role).isEqualTo(DatabaseRole.POD.sqlName());
    }
    assertThat(registry.scrape())
        .as("the series the README and the dashboard name")
        .contains("podflow_queue_vacuum_seconds_count 1\n");
    assertThat(vacuums(testDb)).isEqualTo(before + 1);
    assertThat(deadRows(testDb)).isLessThan(TASKS);
    long pagesAfter = claimScanPages(testDb);
    assertThat(pagesBefore)
        .as("the claim's scan steps over the entries %d claimed tasks left", TASKS)
        .isGreaterThan(10);
    assertThat(pagesAfter).as("and no longer after the vacuum").isLessThan(5);
  }

  @Test
  void aStartedPassVacuumsOnItsOwnUnlessTheThresholdIsZero(TestDatabase testDb)
      throws InterruptedException {
    claimAndFinishManyTasks(testDb);
    long before = vacuums(testDb);
    QueueVacuum off = vacuum(testDb.database(), 0);
    off.start(); // logs that it is off and schedules nothing
    Thread.sleep(PodConfig.QUEUE_VACUUM_CHECK_INTERVAL.plusSeconds(1).toMillis());
    off.stop();
    assertThat(vacuums(testDb)).as("threshold 0").isEqualTo(before);

    QueueVacuum on = vacuum(testDb.database(), TASKS);
    on.start();
    try {
      Eventually.await(
          PodConfig.QUEUE_VACUUM_CHECK_INTERVAL.plusSeconds(5),
          "a vacuum by the started pass",
          () -> vacuums(testDb) > before);
    } finally {
      on.stop();
    }
  }

  @Test
  void aNegativeThresholdIsRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> PodConfig.defaults("x").withQueueVacuumDeadRows(-1))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_QUEUE_VACUUM_DEAD_ROWS");
  }

  @Test
  void aRoleThatMayNotVacuumTurnsThePassOffInsteadOfFailing(TestDatabase testDb) {
    claimAndFinishManyTasks(testDb);
    long before = vacuums(testDb);
    String role = "podflow_not_owner_" + UUID.randomUUID().toString().replace("-", "");
    testDb.database().jdbi().useHandle(h -> h.execute("CREATE ROLE " + role));
    try (Database asOther = Database.connect(testDb.config().withPool(1, "vacuum-not-owner"))) {
      asOther.jdbi().useHandle(h -> h.execute("SET ROLE " + role)); // the pool's one connection
      QueueVacuum pass = vacuum(asOther, 1);
      assertThat(pass.runOnce()).isFalse();
      assertThat(pass.runOnce()).as("off from then on").isFalse();
    } finally {
      testDb.database().jdbi().useHandle(h -> h.execute("DROP ROLE " + role));
    }
    assertThat(vacuums(testDb)).isEqualTo(before);
  }

  @Test
  void podsDrainEveryTaskExactlyOnceWhileTheQueueIsVacuumedUnderThem(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("two-steps", "noop", "noop"));
      for (int i = 0; i < 1_500; i++) h.start("two-steps");
      QueueVacuum pass = vacuum(testDb.database(), 1);
      AtomicBoolean draining = new AtomicBoolean(true);
      AtomicInteger vacuumed = new AtomicInteger();
      CompletableFuture<Void> vacuuming =
          CompletableFuture.runAsync(
              () -> {
                while (draining.get()) {
                  if (pass.runOnce()) vacuumed.incrementAndGet();
                }
              });
      for (int i = 0; i < 4; i++) h.startPod(PodConfig.defaults("drain-" + i).withSlots(2));
      Eventually.await(
          Duration.ofMinutes(2),
          "1500 instances completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 1_500);
      draining.set(false);
      vacuuming.join();

      assertThat(vacuumed.get()).as("VACUUMs that ran during the drain").isGreaterThan(0);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status = 'DONE'")).isEqualTo(3_000);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE attempts <> 1"))
          .as("tasks claimed more than once")
          .isZero();
      assertThat(h.events.tasksWithMoreThanOne("task_completed"))
          .as("tasks completed more than once")
          .isZero();
      assertThat(h.metrics.counter("podflow.leases.lost").count()).isZero();
    }
  }
}
