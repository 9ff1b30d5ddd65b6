package dev.podflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every alert of helm/podflow/files/podflow-alerts.yml is valid and fires, or stays quiet, on the
 * series of its promtool unit tests (deploy/src/test/promtool/podflow-alerts.test.yml).
 */
class AlertRulesTest {
  private static final String INSTALLER = "scripts/install-debian-tools.sh";

  @Test
  void promtoolPassesEveryAlertsUnitTest() throws Exception {
    Tools.Run run =
        Tools.run(
            Tools.ROOT.resolve("deploy/src/test/promtool"),
            Duration.ofSeconds(60),
            List.of("promtool", "test", "rules", "podflow-alerts.test.yml"),
            INSTALLER);
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void everyAlertHasAUnitTest() throws Exception {
    String rules = Files.readString(Tools.ROOT.resolve("helm/podflow/files/podflow-alerts.yml"));
    String tests =
        Files.readString(Tools.ROOT.resolve("deploy/src/test/promtool/podflow-alerts.test.yml"));
    List<String> alerts =
        rules
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("- alert: "))
            .map(l -> l.substring("- alert: ".length()))
            .toList();
    assertThat(alerts).hasSize(6);
    assertThat(alerts).allSatisfy(a -> assertThat(tests).contains("alertname: " + a));
  }
}
