package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.testing.Eventually;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./podflow notifier} as an operating-system process sending to the fake FCM server:
 * SIGKILLed in the middle of a batch and started again, it loses nothing and sends again only what
 * was in flight, and serves its readiness and metrics; a bad FCM setting stops it at start with the
 * variable named.
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
      URI ops = opsUri(processes.log("rescuer"));
      assertThat(get(ops.resolve("/readyz")).statusCode()).isEqualTo(200);
      assertThat(get(ops.resolve("/metrics")).body())
          .contains("podflow_notifications_sent_total{channel=\"fcm\",outcome=\"sent\"} 6.0")
          .contains("podflow_notification_delivery_seconds_bucket");

      assertThat(sent(testDb)).isEqualTo(DEVICES);
      for (int i = 0; i < DEVICES; i++) {
        var sends = fcm.requestsTo(token(i));
        if (i == 7) {
          assertThat(sends).as("the held send, answered after the kill, goes again").hasSize(2);
        } else if (i == 6 || i == 8) {
          // sendEach sends a batch's messages concurrently: the kill may come before or after
          // these two reached the server, so they went once or twice, never more.
          assertThat(sends)
              .as("sends to %s (in the batch at the kill)", token(i))
              .hasSizeBetween(1, 2);
        } else {
          assertThat(sends).as("sends to %s (recorded as sent: once)", token(i)).hasSize(1);
        }
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

  /** The ops endpoints' base, from the line the notifier logs once they listen. */
  private static URI opsUri(String log) {
    Matcher port =
        Pattern.compile("serving /healthz, /readyz and /metrics on port (\\d+)").matcher(log);
    assertThat(port.find()).as(log).isTrue();
    return URI.create("http://127.0.0.1:" + port.group(1));
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static long sent(TestDatabase testDb) {
    return testDb.number("SELECT count(*) FROM notification_deliveries WHERE status = 'SENT'");
  }

  private static String token(int i) {
    return String.format("device-%02d", i);
  }
}
