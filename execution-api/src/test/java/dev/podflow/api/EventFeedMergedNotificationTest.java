package dev.podflow.api;

import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Database;
import dev.podflow.store.notify.Channel;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A notifier merges the events notices sent together into one {@code podflow_events} notification
 * whose payload is several instance ids separated by spaces: the API's feed wakes the followers of
 * every instance it names, and only those.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class EventFeedMergedNotificationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Database db;
  private ExecutionApi api;
  private ApiClient client;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"));
    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private void notifyEvents(String payload) {
    db.jdbi()
        .useHandle(h -> h.execute("NOTIFY " + Channel.EVENTS.sqlName() + ", '" + payload + "'"));
  }

  /**
   * Waits until the feed's own wake-up after LISTEN has gone by, then clears what it left pending,
   * so that a later wake-up of these subscriptions can only come from a notification.
   */
  private void settle(EventFeed feed, Followers.Subscription... subscriptions) throws Exception {
    UUID probeId = UUID.randomUUID();
    try (Followers.Subscription probe = feed.subscribe(probeId, 0)) {
      // The feed reads notifications only after that wake-up: once the probe is woken (by it or
      // by the probe's own notification), none is left to come.
      notifyEvents(probeId.toString());
      assertThat(probe.await(WAIT)).as("the probe woken").isTrue();
    }
    for (Followers.Subscription s : subscriptions) s.await(Duration.ZERO);
  }

  @Test
  void oneNotificationNamingTwoInstancesWakesTheFollowersOfBothAndNoOthers() throws Exception {
    EventFeed feed = api.eventFeed();
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    try (Followers.Subscription a = feed.subscribe(first, 0);
        Followers.Subscription a2 = feed.subscribe(first, 0);
        Followers.Subscription b = feed.subscribe(second, 0);
        Followers.Subscription bystander = feed.subscribe(UUID.randomUUID(), 0)) {
      settle(feed, a, a2, b, bystander);

      notifyEvents(first + " " + second);

      assertThat(a.await(WAIT)).as("the first instance's follower woken").isTrue();
      assertThat(a2.await(WAIT)).as("its second follower woken too").isTrue();
      assertThat(b.await(WAIT)).as("the second instance's follower woken").isTrue();
      // The notification was handled whole before b woke: the bystander has nothing pending.
      assertThat(bystander.await(Duration.ZERO))
          .as("a follower of an instance the notification does not name")
          .isFalse();
    }
  }

  @Test
  void aWordThatIsNoInstanceIdDoesNotCostTheIdsAfterIt() throws Exception {
    EventFeed feed = api.eventFeed();
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    try (Followers.Subscription a = feed.subscribe(first, 0);
        Followers.Subscription b = feed.subscribe(second, 0)) {
      settle(feed, a, b);

      notifyEvents("not-an-id " + first + " 42 " + second);

      assertThat(a.await(WAIT)).isTrue();
      assertThat(b.await(WAIT)).isTrue();
    }
  }

  @Test
  void streamsOfTwoInstancesBothGetTheirNewEventsFromOneMergedNotification() throws Exception {
    String first = startProcess();
    String second = startProcess();
    try (SseRecording a = SseRecording.open(client, "/api/v1/processes/" + first + "/events");
        SseRecording b = SseRecording.open(client, "/api/v1/processes/" + second + "/events")) {
      Eventually.await(
          WAIT, "both replays", () -> a.messages().size() == 2 && b.messages().size() == 2);
      Eventually.await(
          WAIT, "both streams subscribed", () -> api.eventFeed().subscriberCount() == 2);

      // Each round writes an event for both instances without a NOTIFY of its own, then sends the
      // one merged notification. Each stream polls once per POLL_INTERVAL when nothing wakes it;
      // both getting the events well within half of it, round after round, takes the
      // notification.
      Duration prompt = EventStream.POLL_INTERVAL.dividedBy(2);
      for (int round = 1; round <= 3; round++) {
        String marker = "marker_" + round;
        appendEventWithoutNotify(first, marker);
        appendEventWithoutNotify(second, marker);
        long sent = System.nanoTime();
        notifyEvents(first + " " + second);
        Eventually.await(
            WAIT,
            "both streams to get " + marker,
            () -> a.eventTypes().contains(marker) && b.eventTypes().contains(marker));
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(took)
            .as("round %d: both streams woken by the merged notification", round)
            .isLessThan(prompt);
      }
      assertThat(a.eventTypes()).endsWith("marker_1", "marker_2", "marker_3");
      assertThat(b.eventTypes()).endsWith("marker_1", "marker_2", "marker_3");
      assertThat(a.hasEnded()).isFalse();
      assertThat(b.hasEnded()).isFalse();
    }
  }

  private String startProcess() {
    return json(client.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}"))
        .path("id")
        .asText();
  }

  /** An event of the instance, written the way no pod writes: without any NOTIFY. */
  private void appendEventWithoutNotify(String procInstId, String type) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO events (proc_inst_id, tenant_id, task_id, type, payload)"
                            + " SELECT id, tenant_id, NULL, :type, '{}' FROM bpm_proc_inst"
                            + " WHERE id = CAST(:id AS uuid)")
                    .bind("id", procInstId)
                    .bind("type", type)
                    .execute());
  }
}
