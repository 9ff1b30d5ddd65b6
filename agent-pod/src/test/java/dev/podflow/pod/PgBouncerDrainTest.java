package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.Engine;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PgBouncer;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods whose pools go through a real PgBouncer in transaction mode (their LISTEN sessions straight
 * to PostgreSQL) drain processes started through it too: every task done exactly once, and the
 * pods' many pooled connections shared a few server sessions. And what a pod holds without one, the
 * README's connection formula.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PgBouncerDrainTest {
  private static final int PODS = 5;
  private static final int SLOTS = 2;
  private static final int SERVER_SESSIONS = 4;
  private static final int PROCESSES = 300;

  @Test
  void podsDrainThroughPgBouncerInTransactionModeEachTaskOnce(TestDatabase testDb) {
    try (PgBouncer bouncer = PgBouncer.start(testDb, SERVER_SESSIONS);
        PodHarness h = new PodHarness(testDb);
        Database starters = Database.connect(bouncer.config("podflow", 4, "pgb-starter"))) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("two-steps", "noop", "noop"));
      for (int i = 0; i < PODS; i++) {
        h.startPod(
            PodConfig.defaults("pgb-" + i).withSlots(SLOTS),
            bouncer.config("podflow_pod", 1, "unused"));
      }
      ProcessStarter starter =
          new Engine(starters.jdbi(), h.catalog, Notifier.inline(starters.jdbi())).starter();
      IntStream.range(0, PROCESSES)
          .parallel()
          .forEach(
              i ->
                  starter.start(
                      new StartCommand(
                          "two-steps",
                          Json.object().put("n", i),
                          null,
                          null,
                          StartCommand.DEFAULT_TENANT,
                          null)));
      Eventually.await(
          Duration.ofSeconds(40),
          PROCESSES + " processes completed",
          () ->
              h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'")
                  == PROCESSES);

      assertThat(h.count("SELECT count(*) FROM todolist")).isEqualTo(2L * PROCESSES);
      assertThat(h.count("SELECT count(*) FROM todolist WHERE status <> 'DONE'")).isZero();
      assertThat(h.count("SELECT count(*) FROM todolist WHERE attempts <> 1"))
          .as("no task claimed twice")
          .isZero();
      assertThat(h.events.tasksWithoutExactlyOne("task_completed")).isZero();
      assertThat(h.events.count("task_claimed")).isEqualTo(2L * PROCESSES);
      assertThat(h.events.count("process_completed")).isEqualTo(PROCESSES);
      assertThat(h.count("SELECT count(DISTINCT claimed_by) FROM todolist"))
          .as("work spread over the pods")
          .isGreaterThan(1);

      Map<String, String> stats = bouncer.show("SHOW STATS", "podflow_pod");
      assertThat(Long.parseLong(stats.get("total_xact_count")))
          .as("the pods' claims and completions went through PgBouncer (pods batch them)")
          .isGreaterThanOrEqualTo(PROCESSES);
      Map<String, String> pools = bouncer.show("SHOW POOLS", "podflow_pod");
      long serverSessions =
          Stream.of("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login")
              .mapToLong(column -> Long.parseLong(pools.get(column)))
              .sum();
      assertThat(serverSessions)
          .as(
              "%d pods' pools of %d shared at most %d server sessions",
              PODS, SLOTS + 2, SERVER_SESSIONS)
          .isBetween(1L, (long) SERVER_SESSIONS);
      assertThat(
              h.count(
                  "SELECT count(*) FROM pg_stat_activity"
                      + " WHERE application_name LIKE 'podflow-pod-listen-pgb-%'"
                      + " AND datname = current_database()"))
          .as("one LISTEN session per pod, straight to PostgreSQL")
          .isEqualTo(PODS);
    }
  }

  @Test
  void aPodHoldsAtMostItsSlotsPlusTwoPooledAndOneListenSession(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT, "test", Definitions.linear("two-steps", "noop", "noop"));
      for (int i = 0; i < 2; i++) h.startPod(PodConfig.defaults("direct-" + i).withSlots(SLOTS));
      IntStream.range(0, 100).parallel().forEach(i -> h.start("two-steps"));
      Eventually.await(
          Duration.ofSeconds(30),
          "100 processes completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 100);
      for (int i = 0; i < 2; i++) {
        assertThat(sessions(h, "pod-direct-" + i)).isBetween(1L, (long) SLOTS + 2);
        assertThat(sessions(h, "podflow-pod-listen-direct-" + i)).isEqualTo(1);
      }
    }
  }

  private static long sessions(PodHarness h, String applicationName) {
    return h.count(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = '"
            + applicationName
            + "'");
  }
}
