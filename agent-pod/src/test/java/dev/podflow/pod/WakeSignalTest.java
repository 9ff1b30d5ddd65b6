package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A slot's error backoff is a real pause: wake-ups about new work do not cut it short (the database
 * that failed the claim would be asked again at once), but a stopping pod does.
 */
class WakeSignalTest {
  @Test
  void aPauseOutlastsWakeUpsAndEndsWhenThePodStops() throws InterruptedException {
    WakeSignal wake = new WakeSignal();

    long started = System.nanoTime();
    Thread signaller =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    sleep(20);
                    wake.signalAll();
                  }
                });
    wake.pause(Duration.ofMillis(300));
    signaller.join();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("five wake-ups during the pause")
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));

    Thread paused = Thread.ofPlatform().start(() -> wake.pause(Duration.ofMinutes(5)));
    sleep(50);
    wake.stop();
    paused.join(Duration.ofSeconds(10));
    assertThat(paused.isAlive()).as("a pause of five minutes, after stop()").isFalse();
    wake.pause(Duration.ofMinutes(5)); // returns at once once stopped
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
