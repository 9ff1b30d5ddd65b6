package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pruning by retention, and maintenance passes that run once per interval across many pods. */
@ExtendWith(PodflowDatabaseExtension.class)
class MaintenanceTest {

  @Test
  void finishedInstancesPastTheRetentionArePrunedWithAllTheirRows(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("short", "noop", "noop"));
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.sleeping("long", 60_000, 3));
      for (int i = 0; i < 50; i++) h.start("short");
      UUID running = h.start("long");
      PodConfig config =
          PodConfig.defaults("keeper")
              .withSlots(2)
              .withRetention(Duration.ofDays(7))
              .withShutdownGrace(Duration.ZERO);
      h.startPod(config);
      Eventually.await(
          Duration.ofSeconds(30),
          "50 instances completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 50);
      // 600 instances (more than one batch) that finished eight days ago, each with a task, events
      // and a notification.
      testDb
          .database()
          .jdbi()
          .useHandle(
              x ->
                  x.execute(
                      """
          WITH old AS (
              INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status, finished_at)
              SELECT gen_random_uuid(), 'short', 1, 'COMPLETED', now() - interval '8 days'
              FROM generate_series(1, 600)
              RETURNING id),
          tasks AS (
              INSERT INTO todolist (proc_inst_id, tenant_id, activity_id, orchestrator, status)
              SELECT id, 'default', 'a1', 'noop', 'DONE' FROM old
              RETURNING id, proc_inst_id),
          events AS (
              INSERT INTO events (proc_inst_id, tenant_id, task_id, type)
              SELECT proc_inst_id, 'default', id, 'task_completed' FROM tasks)
          INSERT INTO notifications (proc_inst_id, tenant_id, recipient, type, title)
          SELECT id, 'default', 'operators', 'process_error', 'old' FROM old"""));
      // Audit entries live on their own retention: even ones far older than the instances' stay.
      testDb
          .database()
          .jdbi()
          .useHandle(
              x ->
                  x.execute(
                      "INSERT INTO audit_log (tenant_id, at, actor, action, subject)"
                          + " VALUES ('default', now() - interval '400 days', 'cli', 'key.created',"
                          + " 'pfk_old')"));
      long auditEntries = h.count("SELECT count(*) FROM audit_log");
      assertThat(auditEntries).as("the two publishes and the old entry").isEqualTo(3);

      // One pass now, as the pod's pruner would make it (its own comes at a random time).
      Pruner pruner =
          new Pruner(
              testDb.database().jdbi(),
              new ClusterSchedule(testDb.database().jdbi(), "keeper"),
              config,
              new PodMetrics(new SimpleMeterRegistry(), "keeper", config.slots(), () -> 0));
      assertThat(pruner.runOnce()).isEqualTo(600);

      assertThat(h.count("SELECT count(*) FROM bpm_proc_inst")).isEqualTo(51);
      assertThat(h.count("SELECT count(*) FROM todolist")).isEqualTo(101);
      assertThat(h.events.count("process_completed")).isEqualTo(50);
      assertThat(h.events.withoutInstance()).isZero();
      assertThat(h.count("SELECT count(*) FROM notifications")).isZero();
      assertThat(h.instanceStatus(running)).isEqualTo("RUNNING");
      assertThat(h.count("SELECT count(*) FROM audit_log"))
          .as("the pruner leaves the audit log")
          .isEqualTo(auditEntries);
      assertThat(pruner.runOnce()).as("nothing more is old enough").isZero();
    }
  }

  @Test
  void aMaintenancePassRunsOncePerIntervalHoweverManyPodsAsk(TestDatabase testDb) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
    List<Future<?>> asks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ClusterSchedule schedule = new ClusterSchedule(testDb.database().jdbi(), "pod-" + i);
      String pod = "pod-" + i;
      asks.add(
          pool.submit(
              () -> {
                for (int round = 0; round < 20; round++) {
                  if (schedule.claim("test-pass", Duration.ofHours(1))) winners.add(pod);
                }
              }));
    }
    for (Future<?> ask : asks) ask.get();
    pool.shutdown();
    assertThat(winners).as("160 asks within one interval, one run").hasSize(1);
    assertThat(testDb.text("SELECT last_run_by FROM maintenance_runs WHERE name = 'test-pass'"))
        .isEqualTo(winners.peek());

    testDb
        .database()
        .jdbi()
        .useHandle(
            x ->
                x.execute(
                    "UPDATE maintenance_runs SET last_run_at = now() - interval '2 hours' WHERE name = 'test-pass'"));
    assertThat(
            new ClusterSchedule(testDb.database().jdbi(), "late")
                .claim("test-pass", Duration.ofHours(1)))
        .as("the next interval's run")
        .isTrue();
  }
}
