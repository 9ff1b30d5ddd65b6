package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.testing.Eventually;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./podflow notifier} as an operating-system process sending to the fake FCM server:
 * SIGKILLed in the middle of a batch and started again, it loses nothing and sends again only what
 * was in flight; a bad FCM setting stops it at start with the variable named.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class NotifierProcessTest {
  private static final int DEVICES = 12;

  @Test
  void aNotifierKilledMidBatchAndStartedAgainResendsOnlyWhatWasInFlight(TestDatabase testDb)
      throws Exception {
    testDb
        .database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("INSERT INTO users (tenant_id, id) VALUES ('default', 'alice')");
              for (int i = 0; i < DEVICES; i++) {
                h.execute(
                    "INSERT INTO device_tokens (token, tenant_id, recipient) VALUES (?, 'default',"
                        + " 'alice')",
                    token(i));
              }
              h.execute(
                  "INSERT INTO notifications (tenant_id, recipient, type, title)"
                      + " VALUES ('default', 'alice', 'task_assigned', 'Approve')");
            });
    try (FakeFcmServer fcm = FakeFcmServer.start();
        PodProcesses processes = new PodProcesses(testDb)) {
      Map<String, String> env =
          Map.of(
              "PODFLOW_FCM_PROJECT_ID", "podflow-test",
              "PODFLOW_FCM_ACCESS_TOKEN", "test-token",
              "PODFLOW_FCM_BASE_URL", fcm.baseUrl(),
              "PODFLOW_NOTIFIER_BATCH_SIZE", "3",
              "PODFLOW_NOTIFIER_LEASE_SECONDS", "2");
      // Deliveries are claimed in token order, three at a time: the third batch is 06, 07, 08.
      FakeFcmServer.Hold hold = fcm.hold(token(7));
      Process victim = processes.startNotifier("victim", env);
      hold.awaitArrival(Duration.ofSeconds(60));
      assertThat(sent(testDb)).as("the first two batches are recorded").isEqualTo(6);

      victim.destroyForcibly(); // SIGKILL: the third batch's answers are never recorded
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
      hold.release();
      processes.startNotifier("rescuer", env);
      Eventually.await(
          Duration.ofSeconds(60),
          "the rescuer delivers the rest",
          () -> testDb.text("SELECT status FROM notifications").equals("SENT"));

      assertThat(sent(testDb)).isEqualTo(DEVICES);
      for (int i = 0; i < DEVICES; i++) {
        int expected = i >= 6 && i <= 8 ? 2 : 1;
        assertThat(fcm.requestsTo(token(i)))
            .as("sends to %s (recorded as sent: once; in flight at the kill: twice)", token(i))
            .hasSize(expected);
      }
      assertThat(
              testDb.number(
                  "SELECT count(*) FROM notification_deliveries"
                      + " WHERE attempts = 2 AND claimed_by = 'rescuer'"))
          .isEqualTo(3);
      assertThat(
              testDb.number(
                  "SELECT count(*) FROM notification_deliveries"
                      + " WHERE attempts = 1 AND claimed_by = 'victim'"))
          .isEqualTo(6);
    }
  }

  @Test
  void aBadFcmSettingStopsTheNotifierAtStartNamingIt(TestDatabase testDb) throws Exception {
    try (PodProcesses processes = new PodProcesses(testDb)) {
      Process notifier =
          processes.startNotifier(
              "misconfigured",
              Map.of("PODFLOW_FCM_PROJECT_ID", "shop", "PODFLOW_FCM_BASE_URL", "fcm-proxy:8080"));
      assertThat(notifier.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(notifier.exitValue()).isEqualTo(Podflow.EXIT_FAILED);
      assertThat(processes.log("misconfigured")).contains("PODFLOW_FCM_BASE_URL");
    }
  }

  private static long sent(TestDatabase testDb) {
    return testDb.number("SELECT count(*) FROM notification_deliveries WHERE status = 'SENT'");
  }

  private static String token(int i) {
    return String.format("device-%02d", i);
  }
}
