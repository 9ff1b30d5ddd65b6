package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Database;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods send no events notices: the API's feed finds what they write by reading the events table
 * while anyone follows, and wakes the followers of exactly those instances, also when an event
 * commits after one with a higher id.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class EventFeedPollTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Database db;
  private ExecutionApi api;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** An event written as a pod writes one: no NOTIFY (events have no foreign keys). */
  private static void insertEvent(Handle h, UUID instance) {
    h.execute(
        "INSERT INTO events (proc_inst_id, tenant_id, type, payload)"
            + " VALUES (?, 'default', 'task_claimed', '{}')",
        instance);
  }

  @Test
  void anEventWrittenWithoutANoticeWakesTheFollowersOfItsInstanceOnly() throws Exception {
    EventFeed feed = api.eventFeed();
    UUID followed = UUID.randomUUID();
    try (Followers.Subscription subscription = feed.subscribe(followed, 0);
        Followers.Subscription bystander = feed.subscribe(UUID.randomUUID(), 0)) {
      subscription.await(Duration.ZERO); // what the LISTEN session's connect left pending
      bystander.await(Duration.ZERO);

      db.jdbi().useHandle(h -> insertEvent(h, followed));

      assertThat(subscription.await(WAIT)).as("woken by the feed's read").isTrue();
      assertThat(bystander.await(Duration.ZERO)).as("a follower of another instance").isFalse();
    }
  }

  @Test
  void anEventThatCommitsAfterOneWithAHigherIdIsStillSeen() throws Exception {
    EventFeed feed = api.eventFeed();
    UUID late = UUID.randomUUID();
    UUID early = UUID.randomUUID();
    try (Followers.Subscription lateFollower = feed.subscribe(late, 0);
        Followers.Subscription earlyFollower = feed.subscribe(early, 0);
        Handle slow = db.jdbi().open()) {
      lateFollower.await(Duration.ZERO);
      earlyFollower.await(Duration.ZERO);

      slow.begin();
      insertEvent(slow, late); // takes the lower id, commits last
      db.jdbi().useHandle(h -> insertEvent(h, early));
      assertThat(earlyFollower.await(WAIT)).as("the higher id, committed first").isTrue();
      assertThat(lateFollower.await(Duration.ZERO)).as("not committed yet").isFalse();
      slow.commit();

      assertThat(lateFollower.await(WAIT)).as("the lower id, committed after").isTrue();
    }
  }
}
