package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A notifier with nothing to send sleeps until its poll interval, a notice or a due attempt. */
@ExtendWith(PodflowDatabaseExtension.class)
class IdleNotifierTest {

  @Test
  void withNothingDueItPassesOncePerPollInterval(TestDatabase testDb) throws Exception {
    try (NotifierFixture fixture = new NotifierFixture(testDb)) {
      fixture.user("alice");
      fixture.notify("alice", "Approve the order");
      NotifierService notifier =
          fixture.notifier(Optional.empty(), NotifierFixture.settings("idle"));
      notifier.testSignals().passed.init();
      notifier.start();
      // The first pass delivers the one notification; after it nothing is pending or due.
      assertThat(notifier.testSignals().passed.waitOrTimeout(Duration.ofSeconds(10)).sent())
          .isEqualTo(1);

      int passes = passesWithin(notifier, Duration.ofSeconds(2));

      assertThat(passes)
          .as(
              "passes in 2 s with a poll interval of 5 s and nothing due (a busy loop makes"
                  + " thousands)")
          .isLessThanOrEqualTo(1);
    }
  }

  private static int passesWithin(NotifierService notifier, Duration window)
      throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    int passes = 0;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return passes;
      try {
        notifier.testSignals().passed.waitOrTimeout(Duration.ofNanos(left));
        passes++;
      } catch (IllegalStateException none) {
        return passes;
      }
    }
  }
}
