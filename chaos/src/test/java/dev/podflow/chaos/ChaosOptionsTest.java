package dev.podflow.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
  private static final Path WORK = Path.of("target");

  @Test
  void defaultsMatchTheDocumentedLongRun() {
    ChaosOptions o = ChaosOptions.parse(new String[0], WORK);
    assertThat(o.pods()).isEqualTo(4);
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.rate()).isEqualTo(20.0);
    assertThat(o.killEvery()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.terminateEvery()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.restartEvery()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.restartMode())
        .as("a crash is what the harness exists to test")
        .isEqualTo("immediate");
    assertThat(o.embedded()).isTrue();
    assertThat(o.restarts()).isTrue();
    assertThat(o.logDir()).isEqualTo(WORK.resolve("chaos-logs"));
  }

  @Test
  void readsBothOptionFormsAndEveryDurationUnit() {
    ChaosOptions o =
        ChaosOptions.parse(
            new String[] {
              "--pods=2",
              "--duration",
              "90s",
              "--kill-every",
              "1m",
              "--terminate-every",
              "off",
              "--restart-every",
              "1.5h",
              "--pg-downtime",
              "500ms",
              "--rate",
              "2.5"
            },
            WORK);
    assertThat(o.pods()).isEqualTo(2);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.killEvery()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.terminateEvery()).isZero();
    assertThat(o.restartEvery()).isEqualTo(Duration.ofMinutes(90));
    assertThat(o.pgDowntime()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.rate()).isEqualTo(2.5);
  }

  @Test
  void anExistingDatabaseIsRestartedOnlyWithACommand() {
    String url = "postgres://postgres@127.0.0.1:5432/chaos";
    assertThat(ChaosOptions.parse(new String[] {"--database-url", url}, WORK).restarts()).isFalse();
    assertThat(
            ChaosOptions.parse(
                    new String[] {
                      "--database-url", url, "--restart-command", "systemctl restart postgresql"
                    },
                    WORK)
                .restarts())
        .isTrue();
    assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--restart-command", "true"}, WORK))
        .hasMessageContaining("--database-url");
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--duration", "ten"}, WORK))
        .hasMessageContaining("--duration");
    assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--pods", "0"}, WORK))
        .hasMessageContaining("--pods");
    assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--bogus", "1"}, WORK))
        .hasMessageContaining("--bogus");
    assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--rate"}, WORK))
        .hasMessageContaining("needs a value");
  }
}
