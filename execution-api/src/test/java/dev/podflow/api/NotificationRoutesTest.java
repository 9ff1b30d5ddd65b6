package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.auth.Role;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NotificationRoutes} through HTTP on the real database: a user's notifications newest
 * first, paged, unread only, marked read once; other users and tenants see none; and the live
 * stream, which sends each new notification of its user once, woken by {@code NOTIFY
 * podflow_notifications} or else by the feed's poll, and resumes after {@code Last-Event-ID}.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class NotificationRoutesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ADA = "/api/v1/users/ada/notifications";

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private ApiClient admin;
  private ApiClient ada;
  private ApiClient bob;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    admin = ApiClient.admin(db, api.port());
    ada = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    bob = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "bob"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aUserPagesItsNotificationsNewestFirstAndMarksThemReadOnce() {
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) ids.add(insert("default", "ada", "Review draft " + i));
    long bobs = insert("default", "bob", "Not for ada");
    insert("acme", "ada", "Another tenant's ada");

    JsonNode first = expect(200, ada.get(ADA + "?limit=2"));
    assertThat(ids(first)).containsExactly(ids.get(2), ids.get(1));
    JsonNode item = first.path("notifications").get(0);
    assertThat(item.path("title").asText()).isEqualTo("Review draft 3");
    assertThat(item.path("type").asText()).isEqualTo("task_assigned");
    assertThat(item.path("data").path("taskId").asInt()).isEqualTo(7);
    assertThat(item.path("read").asBoolean()).isFalse();
    assertThat(item.path("status").asText()).isEqualTo("PENDING");
    JsonNode last = expect(200, ada.get(ADA + "?limit=2&cursor=" + first.path("next").asText()));
    assertThat(ids(last)).containsExactly(ids.get(0));
    assertThat(last.path("next").isNull()).isTrue();

    String read = ADA + "/" + ids.get(1) + "/read";
    JsonNode marked = expect(200, ada.post(read, ""));
    assertThat(marked.path("read").asBoolean()).isTrue();
    String readAt = readAt(ids.get(1));
    assertThat(expect(200, ada.post(read, "")).path("read").asBoolean()).isTrue();
    assertThat(readAt(ids.get(1))).as("the first read's time stays").isEqualTo(readAt);
    assertThat(ids(expect(200, ada.get(ADA + "?unread=true"))))
        .containsExactly(ids.get(2), ids.get(0));
    assertThat(ids(expect(200, ada.get(ADA + "?unread=false")))).hasSize(3);

    assertProblem(ada.post(ADA + "/" + bobs + "/read", ""), 404, "notification-not-found");
    assertProblem(ada.post(ADA + "/987654/read", ""), 404, "notification-not-found");
    assertProblem(ada.post(ADA + "/abc/read", ""), 400, "invalid-request");
    assertProblem(ada.get(ADA + "?unread=yes"), 400, "invalid-request");
    assertProblem(ada.get(ADA + "?cursor=nope"), 400, "invalid-request");
    assertProblem(bob.get(ADA), 404, "user-not-found");
    assertProblem(bob.post(read, ""), 404, "user-not-found");
    ApiClient acme = admin.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, null));
    assertProblem(acme.get(ADA), 404, "user-not-found");
    assertThat(unread("bob")).isEqualTo(1);
    assertThat(ids(expect(200, admin.get(ADA)))).hasSize(3);
  }

  @Test
  void theStreamSendsEachNewNotificationOfItsUserOnce() throws Exception {
    long before = insert("default", "ada", "Before the stream");
    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());
    NoticeListener.TestSignals feed = api.eventFeed().listenerTestSignals();
    List<String> lines;
    try (SseRecording stream = SseRecording.open(ada, ADA)) {
      assertThat(stream.response().statusCode()).isEqualTo(200);
      Eventually.await(
          WAIT, "the stream to subscribe", () -> api.eventFeed().subscriberCount() == 1);

      // Woken by the notice pods send after committing notifications.
      feed.dispatched.init();
      insert("default", "bob", "For bob");
      insert("acme", "ada", "For acme's ada");
      long noticed = insert("default", "ada", "Review the draft");
      db.jdbi().useHandle(h -> h.execute("NOTIFY " + Channel.NOTIFICATIONS.sqlName()));
      assertThat(feed.dispatched.waitOrTimeout(WAIT)).isEqualTo(Channel.NOTIFICATIONS);
      Eventually.await(WAIT, "the noticed notification", () -> stream.messages().size() == 1);

      // Without a notice: the feed's poll finds it.
      long polled = insert("default", "ada", "Approve the payment");
      Eventually.await(WAIT, "the polled notification", () -> stream.messages().size() == 2);
      List<SseRecording.Message> messages = stream.messages();
      assertThat(messages)
          .extracting(SseRecording.Message::id)
          .containsExactly(Long.toString(noticed), Long.toString(polled));
      assertThat(messages)
          .extracting(SseRecording.Message::event)
          .containsOnly(EventStream.NOTIFICATION_EVENT);
      JsonNode data = Json.parse(messages.get(0).data());
      assertThat(data.path("title").asText()).isEqualTo("Review the draft");
      assertThat(data.path("id").asLong()).isNotEqualTo(before);
      lines = stream.lines();

      // A reconnecting client resumes after the last notification it saw.
      try (SseRecording resumed =
          SseRecording.open(ada, ADA, "Last-Event-ID", Long.toString(noticed))) {
        Eventually.await(WAIT, "the resumed stream", () -> resumed.messages().size() == 1);
        assertThat(resumed.messages().getFirst().id()).isEqualTo(Long.toString(polled));
      }
      assertThat(stream.messages()).as("each notification once").hasSize(2);
    }
    contract.check("GET", ADA, 200, "text/event-stream", String.join("\n", lines));

    assertProblem(bob.get(ADA, "Accept", "text/event-stream"), 404, "user-not-found");
    assertProblem(
        ada.get(ADA, "Accept", "text/event-stream", "Last-Event-ID", "x"), 400, "invalid-request");
  }

  @Test
  void closingTheApiEndsOpenNotificationStreams() throws Exception {
    try (SseRecording stream = SseRecording.open(ada, ADA)) {
      Eventually.await(
          WAIT, "the stream to subscribe", () -> api.eventFeed().subscriberCount() == 1);

      api.close();

      stream.assertEndsWithin(WAIT);
    }
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
  }

  // --- helpers ---

  /** A notification as the outbox writes it (pods do, in a step's transaction); its id. */
  private long insert(String tenant, String recipient, String title) {
    return db.jdbi()
        .withHandle(
            h -> {
              h.execute("INSERT INTO tenants (id) VALUES (?) ON CONFLICT DO NOTHING", tenant);
              return h.createQuery(
                      "INSERT INTO notifications (tenant_id, recipient, type, title, payload)"
                          + " VALUES (:tenant, :recipient, 'task_assigned', :title,"
                          + " '{\"taskId\": 7}') RETURNING id")
                  .bind("tenant", tenant)
                  .bind("recipient", recipient)
                  .bind("title", title)
                  .mapTo(Long.class)
                  .one();
            });
  }

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return contract.check(response);
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("notifications").forEach(n -> ids.add(n.path("id").asLong()));
    return ids;
  }

  private String readAt(long id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT read_at::text FROM notifications WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  private long unread(String recipient) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM notifications WHERE recipient = :r AND read_at IS NULL")
                    .bind("r", recipient)
                    .mapTo(Long.class)
                    .one());
  }
}
