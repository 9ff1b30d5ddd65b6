package dev.podflow.engine.suspension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A step that waits for something outside hands its task back ({@link Suspensions#pollLater}):
 * PENDING, not due before its delay, its attempt not counted, its state kept; the holder of the
 * current wake token, and no one else, may make it due at once ({@link Suspensions#wake}), and of
 * many wakes and many claiming pods at once exactly one claim gets it.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class PollLaterTest {
  private static final Duration AN_HOUR = Duration.ofHours(1);

  private static ClaimedTask started(EngineFixture f) {
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Definitions.linear("wait", "noop"));
    f.start("wait");
    return f.claimNext("pod-a").orElseThrow();
  }

  @Test
  void aHandedBackTaskWaitsItsDelayKeepsItsStateAndCountsNoAttempt(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    ClaimedTask claimed = started(f);
    Suspensions suspensions = f.engine.suspensions();

    TaskOutcome outcome =
        suspensions.pollLater(
            claimed.task(), Json.object().put("peerTask", "t-1"), AN_HOUR, WakeTokens.mint());

    assertThat(outcome).isEqualTo(TaskOutcome.POLL_SCHEDULED);
    long id = claimed.task().id();
    assertThat(testDb.text("SELECT status || '/' || attempts FROM todolist WHERE id = " + id))
        .isEqualTo("PENDING/0");
    assertThat(f.claimNext("pod-b")).as("not due before its delay").isEmpty();
    assertThat(f.events.of(claimed.task().procInstId(), "task_poll_scheduled")).hasSize(1);
    assertThat(f.testDb.instanceStatus(claimed.task().procInstId())).isEqualTo("RUNNING");
  }

  @Test
  void onlyTheCurrentWaitsTokenWakesTheTask(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    ClaimedTask claimed = started(f);
    Suspensions suspensions = f.engine.suspensions();
    long id = claimed.task().id();
    String first = WakeTokens.mint();
    suspensions.pollLater(claimed.task(), Json.object().put("poll", 1), AN_HOUR, first);

    assertThat(suspensions.wake(id, WakeTokens.mint())).as("a forged token").isFalse();
    assertThat(suspensions.wake(id + 1000, first)).as("another task's id").isFalse();
    assertThat(f.claimNext("pod-b")).isEmpty();
    assertThat(suspensions.wake(id, first)).isTrue();
    ClaimedTask again = f.claimNext("pod-b").orElseThrow();
    assertThat(again.task().id()).isEqualTo(id);
    assertThat(again.task().checkpoint().path("state").path("poll").asInt()).isEqualTo(1);
    String second = WakeTokens.mint();
    suspensions.pollLater(again.task(), Json.object().put("poll", 2), AN_HOUR, second);
    assertThat(suspensions.wake(id, first)).as("a replay of the earlier wait's token").isFalse();
    assertThat(f.claimNext("pod-c")).isEmpty();
    assertThat(suspensions.wake(id, second)).isTrue();
    ClaimedTask third = f.claimNext("pod-c").orElseThrow();
    assertThat(third.task().id()).isEqualTo(id);
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE wake_token_hash IS NULL"))
        .isZero();
  }

  @Test
  void aWakeWhileTheStepRunsMakesItsNextWaitDueAtOnce(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    ClaimedTask claimed = started(f);
    Suspensions suspensions = f.engine.suspensions();
    long id = claimed.task().id();
    String token = WakeTokens.mint();
    suspensions.pollLater(claimed.task(), Json.object(), AN_HOUR, token);
    assertThat(suspensions.wake(id, token)).isTrue();
    ClaimedTask running = f.claimNext("pod-b").orElseThrow();

    assertThat(suspensions.wake(id, token)).as("a push while the step asks its peer").isTrue();
    suspensions.pollLater(running.task(), Json.object(), AN_HOUR, token);

    ClaimedTask woken = f.claimNext("pod-c").orElseThrow(() -> new AssertionError("not due"));
    suspensions.pollLater(woken.task(), Json.object(), AN_HOUR, token);
    assertThat(f.claimNext("pod-d")).as("the kept wake was used up").isEmpty();
  }

  @Test
  void manyWakesAndManyClaimingPodsAtOnceGiveTheTaskToExactlyOneClaim(TestDatabase testDb)
      throws Exception {
    EngineFixture f = new EngineFixture(testDb);
    ClaimedTask claimed = started(f);
    String token = WakeTokens.mint();
    f.engine.suspensions().pollLater(claimed.task(), Json.object(), AN_HOUR, token);

    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> wakes = new ArrayList<>();
      List<Future<Integer>> claims = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        wakes.add(
            threads.submit(
                after(go, () -> f.engine.suspensions().wake(claimed.task().id(), token))));
        String pod = "pod-" + i;
        claims.add(
            threads.submit(
                after(
                    go,
                    () -> {
                      int got = 0;
                      for (int round = 0; round < 20; round++) got += f.claim(pod, 4).size();
                      return got;
                    })));
      }
      go.countDown();
      int woken = 0;
      for (Future<Boolean> wake : wakes) woken += wake.get() ? 1 : 0;
      int claimedTimes = 0;
      for (Future<Integer> claim : claims) claimedTimes += claim.get();
      claimedTimes += f.claim("pod-late", 4).size(); // a wake after every pod's last round

      assertThat(woken).as("wakes that found it waiting").isBetween(1, 8);
      assertThat(claimedTimes).as("claims of the woken task").isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
    UUID instance = claimed.task().procInstId();
    assertThat(f.testDb.number("SELECT count(*) FROM todolist WHERE status = 'IN_PROGRESS'"))
        .isEqualTo(1);
    assertThat(f.events.of(instance, "task_claimed")).hasSize(2);
  }

  private static <T> Callable<T> after(CountDownLatch go, Callable<T> work) {
    return () -> {
      go.await();
      return work.call();
    };
  }
}
