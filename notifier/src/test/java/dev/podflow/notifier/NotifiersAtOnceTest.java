package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.notifier.NotifierService.Pass;
import dev.podflow.store.Notifier;
import dev.podflow.store.Notifier.Notification;
import dev.podflow.store.notify.Channel;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.FakeFcmServer.Request;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several notifiers on one backlog, and a notifier that lost its lease: each delivery is recorded
 * once, by the notifier that held it last, and nothing recorded as sent goes again.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class NotifiersAtOnceTest {
  private FakeFcmServer fcm;
  private NotifierFixture fixture;
  private TestDatabase testDb;

  @BeforeEach
  void start(TestDatabase testDb) {
    this.testDb = testDb;
    fixture = new NotifierFixture(testDb);
    fcm = fixture.fcm();
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void fourNotifiersWokenByNotifySendEachDeliveryOfABacklogExactlyOnce() {
    List<NotifierService> notifiers =
        List.of("a", "b", "c", "d").stream()
            .map(id -> fixture.notifier(NotifierFixture.settings(id).withBatchSize(7)))
            .toList();
    for (NotifierService notifier : notifiers) {
      notifier.testSignals().passed.init();
      notifier.start();
    }
    for (NotifierService notifier : notifiers) awaitPass(notifier);
    for (int u = 0; u < 20; u++) {
      fixture.user("user" + u);
      for (int d = 0; d < 3; d++) fixture.device("user" + u, "token-" + u + "-" + d);
    }
    for (int n = 0; n < 100; n++) fixture.notify("user" + (n % 20), "Task " + n);
    // The pods' way of waking notifiers; the 5 s poll alone would miss the deadline below.
    Notifier.inline(testDb.database().jdbi())
        .send(List.of(new Notification(Channel.NOTIFICATIONS, "")));

    Eventually.await(
        Duration.ofSeconds(4),
        "every notification sent",
        () -> testDb.number("SELECT count(*) FROM notifications WHERE status = 'SENT'") == 100);

    List<Request> requests = fcm.requests();
    Map<String, Long> perDelivery =
        requests.stream()
            .collect(
                Collectors.groupingBy(r -> r.data("podflow_delivery_id"), Collectors.counting()));
    assertThat(perDelivery).hasSize(300);
    assertThat(perDelivery.values()).allMatch(count -> count == 1);
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notification_deliveries WHERE status = 'SENT' AND attempts = 1"))
        .isEqualTo(300);
    assertThat(testDb.number("SELECT count(DISTINCT claimed_by) FROM notification_deliveries"))
        .as("the work was shared")
        .isGreaterThan(1);
  }

  @Test
  void aNotifierThatLostItsLeaseRecordsNothing() throws Exception {
    fixture.user("alice");
    fixture.device("alice", "phone");
    long id = fixture.notify("alice", "Hello");
    NotifierService slow = fixture.notifier(NotifierFixture.settings("slow"));
    NotifierService other = fixture.notifier(NotifierFixture.settings("other"));
    FakeFcmServer.Hold hold = fcm.hold("phone");
    CompletableFuture<Pass> slowPass = CompletableFuture.supplyAsync(slow::runOnce);
    hold.awaitArrival(Duration.ofSeconds(10));

    fixture.expireLeases("true");
    Pass otherPass = other.runOnce();
    hold.release();
    Pass lost = slowPass.get(10, TimeUnit.SECONDS);

    assertThat(otherPass.sent()).isEqualTo(1);
    assertThat(lost.sent()).isZero();
    assertThat(lost.leaseLost()).isEqualTo(1);
    List<Request> sends = fcm.requestsTo("phone");
    assertThat(sends).as("the slow send went too: FCM answered it").hasSize(2);
    Map<String, String> row =
        testDb
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT status, claimed_by, provider_id, attempts::text AS attempts"
                                + " FROM notification_deliveries")
                        .mapToMap(String.class)
                        .one());
    // The slow send is recorded at the fake once released, after the other one.
    String othersAnswer = sends.get(0).answer();
    assertThat(row)
        .containsEntry("status", "SENT")
        .containsEntry("claimed_by", "other")
        .containsEntry("attempts", "2")
        .containsEntry("provider_id", othersAnswer);
    assertThat(fixture.status(id)).isEqualTo("SENT");
    assertThat(fixture.sentTotal("fcm", "lease_lost")).isEqualTo(1);
  }

  private static void awaitPass(NotifierService notifier) {
    try {
      notifier.testSignals().passed.waitOrTimeout(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
