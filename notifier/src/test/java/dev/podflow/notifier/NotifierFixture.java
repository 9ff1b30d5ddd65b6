package dev.podflow.notifier;

import dev.podflow.notifier.email.EmailSettings;
import dev.podflow.notifier.fcm.FcmSettings;
import dev.podflow.store.Database;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The notifier tests' fixture: users, devices and notifications written as the API and the pods
 * write them (tenant {@code default}), the rows' states read back, and notifiers on a pool acting
 * as {@code podflow_notifier} that talk to its {@link FakeFcmServer} through firebase-admin's real
 * client. Closes what it started.
 */
final class NotifierFixture implements AutoCloseable {
  /** What a notification's body and payload carry, which no push may. */
  static final String PROCESS_DATA = "salary-of-bob-is-123456";

  private final TestDatabase testDb;
  private final FakeFcmServer fcm = FakeFcmServer.start();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> opened = new ArrayList<>(List.of(fcm));

  NotifierFixture(TestDatabase testDb) {
    this.testDb = testDb;
  }

  /** The fake FCM server the notifiers send to. */
  FakeFcmServer fcm() {
    return fcm;
  }

  /** The meters of every notifier of this fixture. */
  SimpleMeterRegistry meters() {
    return meters;
  }

  /** The count of one {@code podflow_notifications_sent_total} series. */
  double sentTotal(String channel, String outcome) {
    return meters
        .get("podflow.notifications.sent")
        .tags("channel", channel, "outcome", outcome)
        .counter()
        .count();
  }

  /** Runs a statement as the tables' owner, e.g. to age a lease. */
  void execute(String sql, Object... args) {
    testDb.database().jdbi().useHandle(h -> h.execute(sql, args));
  }

  /** Makes the leases of the deliveries {@code where} says run out, as if their holder hung. */
  void expireLeases(String where) {
    execute(
        "UPDATE notification_deliveries SET lease_until = now() - interval '1 second',"
            + " next_attempt_at = now() - interval '1 second' WHERE "
            + where);
  }

  /** Fast settings for tests: lease 30 s, backoff 20 ms to 100 ms, poll 5 s. */
  static NotifierSettings settings(String notifierId) {
    return NotifierSettings.defaults(notifierId)
        .withLease(Duration.ofSeconds(30))
        .withBackoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));
  }

  void user(String id) {
    execute("INSERT INTO users (tenant_id, id, roles) VALUES ('default', ?, '{user}')", id);
  }

  void device(String user, String token) {
    execute(
        "INSERT INTO device_tokens (token, tenant_id, recipient, platform)"
            + " VALUES (?, 'default', ?, 'android')",
        token,
        user);
  }

  /** A task_assigned notification for {@code recipient}, with process data in body and payload. */
  long notify(String recipient, String title) {
    return testDb
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "INSERT INTO notifications (tenant_id, recipient, type, title, body, payload)"
                            + " VALUES ('default', :recipient, 'task_assigned', :title, :body,"
                            + " jsonb_build_object('data', :body)) RETURNING id")
                    .bind("recipient", recipient)
                    .bind("title", title)
                    .bind("body", PROCESS_DATA)
                    .mapTo(Long.class)
                    .one());
  }

  String status(long notificationId) {
    return testDb.text("SELECT status FROM notifications WHERE id = " + notificationId);
  }

  /** The delivery to {@code address}'s status (the only one, or the latest). */
  String deliveryStatus(String address) {
    return testDb.text(
        "SELECT status FROM notification_deliveries WHERE address = '"
            + address
            + "' ORDER BY id DESC LIMIT 1");
  }

  /** A pool acting as podflow_notifier, as {@code ./podflow notifier} opens. */
  Database notifierPool(String name) {
    return track(
        Database.connect(
            testDb.config().withRole(DatabaseRole.NOTIFIER).withPool(4, "test-" + name)));
  }

  /** A notifier sending to the fake FCM server with a static token, not started. */
  NotifierService notifier(NotifierSettings settings) {
    return notifier(Optional.of(fcmSettings(false)), settings);
  }

  /** A notifier on the channels {@code fcm} configures (none: the log), not started. */
  NotifierService notifier(Optional<FcmSettings> fcm, NotifierSettings settings) {
    return notifier(fcm, Optional.empty(), settings);
  }

  /** A notifier on the channels {@code fcm} and {@code email} configure, not started. */
  NotifierService notifier(
      Optional<FcmSettings> fcm, Optional<EmailSettings> email, NotifierSettings settings) {
    String id = settings.notifierId();
    return track(
        new NotifierService(
            notifierPool(id),
            settings,
            NotifierService.channels(fcm, email, "test-" + id),
            meters));
  }

  FcmSettings fcmSettings(boolean dryRun) {
    return fcmSettings(dryRun, FcmSettings.DEFAULT_TIMEOUT);
  }

  FcmSettings fcmSettings(boolean dryRun, Duration timeout) {
    return new FcmSettings(
        "podflow-test", null, "test-token", URI.create(fcm.baseUrl()), dryRun, timeout);
  }

  private <T extends AutoCloseable> T track(T resource) {
    opened.add(0, resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable resource : opened) resource.close();
  }
}
