package dev.podflow.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void doublesFromTheInitialWaitJitteredDownToHalf() {
    for (int attempt = 1; attempt <= 7; attempt++) {
      long full = 5_000L << (attempt - 1);
      for (int i = 0; i < 100; i++) {
        assertThat(backoff.delay(attempt, null, random).toMillis()).isBetween(full / 2, full);
      }
    }
  }

  @Test
  void isCappedAtTheMaximumHoweverManyAttempts() {
    for (int attempt : new int[] {8, 20, 64, 1_000}) {
      assertThat(backoff.delay(attempt, null, random))
          .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
  }

  @Test
  void waitsAtLeastWhatTheChannelAskedForUpToTheMaximum() {
    assertThat(backoff.delay(1, Duration.ofSeconds(30), random)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(1, Duration.ofHours(2), random)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void refusesAnInitialWaitAboveTheMaximum() {
    assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(11), Duration.ofMinutes(10)))
        .hasMessageContaining("exceeds the maximum");
  }
}
