package dev.podflow.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short form of the chaos run: 3 pod processes on an embedded PostgreSQL for 36 s at 10
 * processes/s, with pods SIGKILLed, every backend terminated and PostgreSQL crashed, then the
 * database must show nothing lost and nothing done twice.
 */
class ChaosHarnessTest {

  @Test
  void nothingIsLostAndNothingIsDoneTwiceUnderKillsTerminationsAndRestarts() throws Exception {
    ChaosOptions options =
        ChaosOptions.parse(
            new String[] {
              "--pods", "3",
              "--duration", "36s",
              "--rate", "10",
              "--kill-every", "9s",
              "--terminate-every", "11s",
              "--restart-every", "16s",
              "--pg-downtime", "1s",
              "--drain-timeout", "60s",
              "--poison-share", "0.02",
              "--seed", "42",
              // C1 only: pods start and warm up faster on a busy 2-core machine
              "--pod-java-opts", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            },
            Path.of("target"));

    ChaosResult result = ChaosHarness.run(options);

    assertThat(result.kills()).as("pods SIGKILLed").isGreaterThanOrEqualTo(2);
    assertThat(result.backendTerminations()).as("backend terminations").isGreaterThanOrEqualTo(2);
    assertThat(result.pgRestarts()).as("PostgreSQL restarts").isGreaterThanOrEqualTo(1);
    assertThat(result.started()).as("acknowledged starts").isGreaterThan(200);
    assertThat(result.lost()).as(result.summaryLine()).isZero();
    assertThat(result.duplicated()).as(result.summaryLine()).isZero();
    assertThat(result.stuck()).as(result.summaryLine()).isZero();
    assertThat(result.completed() + result.deadByDesign()).isEqualTo(result.started());
    assertThat(result.problems()).isEmpty();
    assertThat(result.verdict()).as(result.summaryLine()).isEqualTo("PASS");
    assertThat(Files.readString(Path.of("target", "chaos-summary.md")))
        .contains(result.summaryLine());
  }
}
