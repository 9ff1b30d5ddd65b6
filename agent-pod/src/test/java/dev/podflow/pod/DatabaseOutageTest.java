package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.instance.StartCommand;
import dev.podflow.store.notify.Channel;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods ride out killed database sessions: they reconnect, LISTEN again, and lose or repeat nothing.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DatabaseOutageTest {

  @Test
  void podsSurviveTerminatedBackendsAndListenAgain(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      h.catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Definitions.withFastRetries(Definitions.sleeping("steady", 20, 10)));
      for (int i = 0; i < 200; i++) h.start("steady");
      // A poll this long means only a re-established LISTEN can wake the pods at the end.
      for (int i = 0; i < 4; i++) {
        h.startPod(PodConfig.defaults("survivor-" + i).withPollInterval(Duration.ofMinutes(5)));
      }
      for (int round = 0; round < 3; round++) {
        long doneBefore = h.count("SELECT count(*) FROM todolist WHERE status = 'DONE'");
        Eventually.await(
            Duration.ofSeconds(30),
            "progress before injury " + round,
            () -> h.count("SELECT count(*) FROM todolist WHERE status = 'DONE'") > doneBefore + 20);
        long killed =
            h.count(
                """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()""");
        assertThat(killed).as("sessions terminated in round " + round).isPositive();
      }
      Eventually.await(
          Duration.ofMinutes(2),
          "all 200 processes completed",
          () -> h.count("SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'") == 200);
      Eventually.await(
          Duration.ofSeconds(20),
          "all four pods listening again",
          () ->
              h.count(
                      "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN "
                          + Channel.TASKS.sqlName()
                          + "'")
                  >= 4);
      UUID late = h.start("steady");
      Eventually.await(
          Duration.ofSeconds(10),
          "a new process is picked up by NOTIFY",
          () -> h.instanceStatus(late).equals("COMPLETED"));

      assertThat(h.events.tasksWithMoreThanOne("task_completed")).as("completed twice").isZero();
      assertThat(h.events.count("task_completed")).isEqualTo(201);
    }
  }
}
