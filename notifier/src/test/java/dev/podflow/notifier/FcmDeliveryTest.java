package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.notifier.NotifierService.Pass;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.FakeFcmServer.Failure;
import dev.podflow.testing.FakeFcmServer.Request;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One notifier pass against the fake FCM server, through firebase-admin's real client: what each
 * device gets, and how each FCM answer is recorded.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class FcmDeliveryTest {
  private FakeFcmServer fcm;
  private NotifierFixture fixture;
  private TestDatabase testDb;

  @BeforeEach
  void start(TestDatabase testDb) {
    this.testDb = testDb;
    fixture = new NotifierFixture(testDb);
    fcm = fixture.fcm();
    fixture.user("alice");
    fixture.device("alice", "phone");
    fixture.device("alice", "tablet");
    fixture.device("alice", "browser");
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void eachOfThreeDevicesGetsOneMessageWithTheTitleAndIdsOnly() {
    long id = fixture.notify("alice", "Approve the order");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1"));

    notifier.sampleOutbox();
    assertThat(fixture.meters().get("podflow.notifications.outbox.depth").gauge().value())
        .isEqualTo(1);
    Pass pass = notifier.runOnce();

    assertThat(pass.delivering()).isEqualTo(1);
    assertThat(pass.sent()).isEqualTo(3);
    List<Request> requests = fcm.requests();
    assertThat(requests)
        .extracting(Request::token)
        .containsExactlyInAnyOrder("phone", "tablet", "browser");
    String collapseKey = "podflow-" + id;
    for (Request request : requests) {
      assertThat(request.projectId()).isEqualTo("podflow-test");
      assertThat(request.authorization()).isEqualTo("Bearer test-token");
      assertThat(request.validateOnly()).isFalse();
      JsonNode message = request.message();
      assertThat(message.path("notification").path("title").asText())
          .isEqualTo("Approve the order");
      assertThat(message.path("notification").has("body")).isFalse();
      assertThat(message.toString()).doesNotContain(NotifierFixture.PROCESS_DATA);
      assertThat(request.data("podflow_notification_id")).isEqualTo(Long.toString(id));
      assertThat(request.data("podflow_type")).isEqualTo("task_assigned");
      assertThat(message.path("android").path("collapse_key").asText()).isEqualTo(collapseKey);
      assertThat(message.path("apns").path("headers").path("apns-collapse-id").asText())
          .isEqualTo(collapseKey);
      assertThat(message.path("webpush").path("headers").path("Topic").asText())
          .isEqualTo(collapseKey);
    }
    assertThat(
            requests.stream().map(r -> r.data("podflow_delivery_id")).collect(Collectors.toSet()))
        .hasSize(3);
    assertThat(fixture.status(id)).isEqualTo("SENT");
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notifications WHERE finished_at IS NOT NULL AND sent_at IS NOT NULL"))
        .isEqualTo(1);
    List<String> providerIds =
        testDb
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT provider_id FROM notification_deliveries WHERE status = 'SENT' AND attempts = 1 AND sent_at IS NOT NULL")
                        .mapTo(String.class)
                        .list());
    assertThat(providerIds)
        .containsExactlyInAnyOrderElementsOf(requests.stream().map(Request::answer).toList());
    assertThat(testDb.number("SELECT count(*) FROM device_tokens WHERE last_sent_at IS NOT NULL"))
        .isEqualTo(3);
    assertThat(fixture.sentTotal("fcm", "sent")).isEqualTo(3);
    assertThat(
            fixture
                .meters()
                .get("podflow.notification.delivery")
                .tags("channel", "fcm")
                .timer()
                .count())
        .isEqualTo(3);
    notifier.sampleOutbox();
    assertThat(fixture.meters().get("podflow.notifications.outbox.depth").gauge().value()).isZero();
    assertThat(notifier.runOnce()).isEqualTo(new Pass(0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(fcm.requests()).as("nothing recorded as sent goes again").hasSize(3);
  }

  @ParameterizedTest
  @CsvSource({
    "UNREGISTERED, RETIRED",
    "INVALID_TOKEN, RETIRED",
    "SENDER_ID_MISMATCH, RETIRED",
    "INVALID_PAYLOAD, FAILED"
  })
  void aDeadTokenIsRetiredAtOnceAndTheOtherDevicesStillGetIt(Failure failure, String recorded) {
    fcm.fail("tablet", failure);
    long first = fixture.notify("alice", "First");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1"));

    Pass pass = notifier.runOnce();

    assertThat(pass.sent()).isEqualTo(2);
    assertThat(fixture.deliveryStatus("tablet")).isEqualTo(recorded);
    assertThat(fixture.deliveryStatus("phone")).isEqualTo("SENT");
    assertThat(fixture.deliveryStatus("browser")).isEqualTo("SENT");
    assertThat(fixture.status(first)).isEqualTo("SENT");
    assertThat(fcm.requestsTo("tablet")).as("never retried").hasSize(1);
    assertThat(
            testDb.text("SELECT last_error FROM notification_deliveries WHERE address = 'tablet'"))
        .startsWith(
            failure == Failure.INVALID_TOKEN || failure == Failure.INVALID_PAYLOAD
                ? "INVALID_ARGUMENT"
                : failure.name());
    boolean retired = recorded.equals("RETIRED");
    assertThat(
            testDb.number(
                "SELECT count(*) FROM device_tokens WHERE token = 'tablet' AND retired_at IS NOT NULL AND retired_reason IS NOT NULL"))
        .isEqualTo(retired ? 1 : 0);

    long second = fixture.notify("alice", "Second");
    notifier.runOnce();
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notification_deliveries WHERE notification_id = " + second))
        .as("a retired token gets no delivery")
        .isEqualTo(retired ? 2 : 3);
    assertThat(fixture.status(second)).isEqualTo("SENT");
  }

  @Test
  void transientErrorsAreRetriedWithBackoffUntilTheLastAttemptFails() {
    fcm.fail("phone", Failure.UNAVAILABLE);
    fcm.fail("tablet", Failure.QUOTA_EXCEEDED);
    fcm.failTimes("browser", Failure.INTERNAL, 2);
    long id = fixture.notify("alice", "Hello");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1").withMaxAttempts(3));

    Pass first = notifier.runOnce();
    assertThat(first.retried()).isEqualTo(3);
    assertThat(notifier.runOnce().claimed()).as("not due again at once: backing off").isZero();
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notification_deliveries WHERE status = 'PENDING' AND attempts = 1 AND next_attempt_at > now()"))
        .isEqualTo(3);
    dev.podflow.testing.Eventually.await(
        java.time.Duration.ofSeconds(10),
        "every delivery ended",
        () -> {
          notifier.runOnce();
          return !fixture.status(id).equals("DELIVERING");
        });

    assertThat(fixture.deliveryStatus("phone")).isEqualTo("FAILED");
    assertThat(fixture.deliveryStatus("tablet")).isEqualTo("FAILED");
    assertThat(fixture.deliveryStatus("browser")).isEqualTo("SENT");
    assertThat(testDb.number("SELECT count(*) FROM notification_deliveries WHERE attempts = 3"))
        .isEqualTo(3);
    assertThat(fcm.requestsTo("phone")).as("one request per attempt").hasSize(3);
    assertThat(fcm.requestsTo("tablet")).hasSize(3);
    assertThat(fcm.requestsTo("browser")).hasSize(3);
    assertThat(
            testDb.text("SELECT last_error FROM notification_deliveries WHERE address = 'tablet'"))
        .startsWith("QUOTA_EXCEEDED");
    assertThat(fixture.status(id)).isEqualTo("SENT");
    assertThat(fixture.sentTotal("fcm", "failed")).isEqualTo(2);
    assertThat(fixture.sentTotal("fcm", "retry")).isEqualTo(6);
  }

  @Test
  void aSendThatTimesOutIsRetried() throws Exception {
    FakeFcmServer.Hold hold = fcm.hold("tablet");
    long id = fixture.notify("alice", "Hello");
    NotifierService notifier =
        fixture.notifier(
            java.util.Optional.of(fixture.fcmSettings(false, java.time.Duration.ofMillis(500))),
            NotifierFixture.settings("n1"));

    Pass first = notifier.runOnce();
    hold.release();

    assertThat(first.sent()).isEqualTo(2);
    assertThat(first.retried()).isEqualTo(1);
    assertThat(
            testDb.text("SELECT last_error FROM notification_deliveries WHERE address = 'tablet'"))
        .startsWith("DEADLINE_EXCEEDED");
    dev.podflow.testing.Eventually.await(
        java.time.Duration.ofSeconds(10),
        "the retry sent",
        () -> {
          notifier.runOnce();
          return fixture.status(id).equals("SENT");
        });
    assertThat(fixture.deliveryStatus("tablet")).isEqualTo("SENT");
    assertThat(
            testDb.number("SELECT attempts FROM notification_deliveries WHERE address = 'tablet'"))
        .isEqualTo(2);
  }

  @Test
  void aNotificationWhoseDeliveriesAllFailIsFailed() {
    for (String token : Set.of("phone", "tablet", "browser")) fcm.fail(token, Failure.UNAVAILABLE);
    long id = fixture.notify("alice", "Hello");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1").withMaxAttempts(1));

    notifier.runOnce();

    assertThat(fixture.status(id)).isEqualTo("FAILED");
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notifications WHERE finished_at IS NOT NULL AND sent_at IS NULL"))
        .isEqualTo(1);
  }

  @Test
  void aRecipientWithoutDevicesIsUndeliverable() {
    fixture.user("bob");
    long id = fixture.notify("bob", "Nobody hears this");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1"));

    assertThat(notifier.runOnce().undeliverable()).isEqualTo(1);

    assertThat(fixture.status(id)).isEqualTo("UNDELIVERABLE");
    assertThat(testDb.number("SELECT count(*) FROM notification_deliveries")).isZero();
    assertThat(fixture.sentTotal("none", "undeliverable")).isEqualTo(1);
  }

  @Test
  void dryRunAsksFcmToValidateOnly() {
    long id = fixture.notify("alice", "Staging");
    NotifierService notifier =
        fixture.notifier(
            java.util.Optional.of(fixture.fcmSettings(true)), NotifierFixture.settings("n1"));

    notifier.runOnce();

    assertThat(fcm.requests()).hasSize(3).allMatch(Request::validateOnly);
    assertThat(fixture.status(id)).isEqualTo("SENT");
  }

  @Test
  void aDeliveryWhoseLastAttemptLostItsLeaseFails() {
    long id = fixture.notify("alice", "Hello");
    NotifierService notifier = fixture.notifier(NotifierFixture.settings("n1").withMaxAttempts(2));
    notifier.runOnce();
    fixture.execute(
        "UPDATE notification_deliveries SET status = 'SENDING', attempts = 2 WHERE address = 'phone'");
    fixture.execute("UPDATE notifications SET status = 'DELIVERING'");
    fixture.expireLeases("address = 'phone'");

    notifier.runOnce();

    assertThat(fixture.deliveryStatus("phone")).isEqualTo("FAILED");
    assertThat(fixture.status(id)).isEqualTo("SENT");
    assertThat(fcm.requestsTo("phone")).as("not sent a third time").hasSize(1);
    assertThat(fixture.sentTotal("fcm", "failed")).isEqualTo(1);
  }
}
