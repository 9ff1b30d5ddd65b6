package dev.podflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.podflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm/podflow lints strict and renders what the README promises: the HPA scales the agent-pod
 * Deployment, the pods get more than their shutdown grace, probes mean something, and KEDA's query
 * counts due tasks on a real migrated database as podflow_metrics.
 */
class HelmChartTest {
  private static Chart defaults;

  @BeforeAll
  static void renderDefaults() throws Exception {
    defaults = Chart.render(Map.of());
  }

  @Test
  void lintsStrict() {
    LintResult lint = new Helm(Chart.DIR).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void theHpaScalesThePodDeploymentOnWaitingTasksAndCpu() {
    JsonNode pod = defaults.one("Deployment", "pf-pod");
    JsonNode hpa = defaults.one("HorizontalPodAutoscaler", "pf-pod");
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText())
        .isEqualTo(pod.at("/metadata/name").asText());
    assertThat(hpa.at("/spec/metrics/0/external/metric/name").asText())
        .isEqualTo("podflow_tasks_waiting");
    assertThat(hpa.at("/spec/metrics/0/external/target/averageValue").asText()).isEqualTo("1");
    assertThat(hpa.at("/spec/metrics/1/resource/name").asText()).isEqualTo("cpu");
    assertThat(hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isPositive();
    // The HPA owns the replica count: a rendered one would reset it on every upgrade.
    assertThat(pod.at("/spec/replicas").isMissingNode()).isTrue();
    assertThat(defaults.all("ScaledObject")).isEmpty();
  }

  @Test
  void podsGetLongerThanTheirShutdownGraceAndNoPreStopThatWouldKeepThemClaiming() {
    JsonNode pod = defaults.one("Deployment", "pf-pod");
    int grace = Integer.parseInt(Chart.env(Chart.container(pod), "PODFLOW_SHUTDOWN_GRACE_SECONDS"));
    assertThat(grace).isEqualTo(25);
    assertThat(pod.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isGreaterThanOrEqualTo(grace + 5);
    assertThat(Chart.container(pod).at("/lifecycle/preStop").isMissingNode()).isTrue();
  }

  @Test
  void everyRoleLivesOnHealthzIsReadyOnReadyzAndLogsJson() {
    for (String name : new String[] {"pf-api", "pf-pod", "pf-notifier"}) {
      JsonNode container = Chart.container(defaults.one("Deployment", name));
      assertThat(container.at("/livenessProbe/httpGet/path").asText())
          .as(name)
          .isEqualTo("/healthz");
      assertThat(container.at("/startupProbe/httpGet/path").asText())
          .as(name)
          .isEqualTo("/healthz");
      assertThat(container.at("/readinessProbe/httpGet/path").asText())
          .as(name)
          .isEqualTo("/readyz");
      String port = container.at("/livenessProbe/httpGet/port").asText();
      assertThat(container.path("ports").findValuesAsText("name")).as(name).contains(port);
      assertThat(Chart.env(container, "PODFLOW_LOG_FORMAT")).as(name).isEqualTo("json");
      assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
    }
    assertThat(defaults.all("PodDisruptionBudget")).hasSize(3);
  }

  @Test
  void theMigrationRunsAsAPreInstallAndPreUpgradeHook(@TempDir Path copy) throws Exception {
    assertThat(Files.readString(Chart.DIR.resolve("templates/migrate-job.yaml")))
        .contains("helm.sh/hook: pre-install,pre-upgrade");
    JsonNode migrate = Chart.renderHooks(copy, Map.of()).one("Job", "pf-migrate");
    JsonNode container = migrate.at("/spec/template/spec/containers/0");
    assertThat(container.path("args").toString()).isEqualTo("[\"migrate\"]");
    assertThat(container.at("/env/0/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("podflow-database");
  }

  @Test
  void definitionsAreConfigMapsNamingTheirTenantPublishedAfterEachInstallAndUpgrade(
      @TempDir Path copy) throws Exception {
    assertThat(Files.readString(Chart.DIR.resolve("templates/definitions.yaml")))
        .contains("helm.sh/hook: post-install,post-upgrade");
    assertThat(defaults.all("ConfigMap"))
        .extracting(m -> m.at("/metadata/name").asText())
        .containsExactly("pf-dashboard");
    Chart chart =
        Chart.renderHooks(
            copy,
            Map.of(
                "definitions[0].files.greet\\.json.id", "greet",
                "definitions[1].tenant", "acme",
                "definitions[1].files.onboard\\.json.id", "onboard"));
    JsonNode first = chart.one("ConfigMap", "pf-definitions-0");
    assertThat(first.at("/metadata/labels/podflow.dev~1tenant").asText()).isEqualTo("default");
    assertThat(Chart.YAML.readTree(first.at("/data/greet.json").asText()).path("id").asText())
        .isEqualTo("greet");
    assertThat(
            chart
                .one("ConfigMap", "pf-definitions-1")
                .at("/metadata/labels/podflow.dev~1tenant")
                .asText())
        .isEqualTo("acme");
    JsonNode job = chart.one("Job", "pf-publish").at("/spec/template/spec");
    assertThat(job.at("/containers/1/args").toString())
        .isEqualTo("[\"publish\",\"--tenant\",\"acme\",\"/definitions\"]");
    assertThat(job.at("/volumes/2/configMap/name").asText()).isEqualTo("pf-definitions-1");
  }

  @Test
  void behindPgBouncerEveryProcessAlsoGetsPostgresqlItself(@TempDir Path copy) throws Exception {
    Chart chart = Chart.renderHooks(copy, Map.of("database.directKey", "DIRECT_URL"));
    for (JsonNode workload : chart.all("Deployment")) {
      assertDirectUrl(workload);
    }
    assertDirectUrl(chart.one("Job", "pf-migrate"));
    assertThat(Chart.container(defaults.one("Deployment", "pf-pod")).path("env").toString())
        .doesNotContain("PODFLOW_DIRECT_DATABASE_URL");
  }

  @Test
  void behindPgBouncerTheApiMayNameItsOwnEntry(@TempDir Path copy) throws Exception {
    Chart chart =
        Chart.renderHooks(
            copy, Map.of("database.directKey", "DIRECT_URL", "database.apiKey", "API_URL"));
    assertThat(databaseUrlKey(chart.one("Deployment", "pf-api"))).isEqualTo("API_URL");
    for (String other : new String[] {"pf-pod", "pf-notifier"}) {
      assertThat(databaseUrlKey(chart.one("Deployment", other))).isEqualTo("DATABASE_URL");
    }
    assertThat(databaseUrlKey(chart.one("Job", "pf-migrate"))).isEqualTo("DATABASE_URL");
    assertThat(databaseUrlKey(defaults.one("Deployment", "pf-api"))).isEqualTo("DATABASE_URL");
  }

  /** The Secret key the workload's DATABASE_URL comes from. */
  private static String databaseUrlKey(JsonNode workload) {
    for (JsonNode e : Chart.container(workload).path("env")) {
      if (e.path("name").asText().equals("DATABASE_URL")) {
        return e.at("/valueFrom/secretKeyRef/key").asText();
      }
    }
    throw new AssertionError("no DATABASE_URL in " + workload.at("/metadata/name").asText());
  }

  private static void assertDirectUrl(JsonNode workload) {
    JsonNode env = Chart.container(workload).path("env");
    assertThat(env.findParents("name"))
        .as(workload.at("/metadata/name").asText())
        .anySatisfy(
            e -> {
              assertThat(e.path("name").asText()).isEqualTo("PODFLOW_DIRECT_DATABASE_URL");
              assertThat(e.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("DIRECT_URL");
            });
  }

  @Test
  void theDashboardConfigMapIsGrafanasDashboardForTheSidecar() throws Exception {
    JsonNode map = defaults.one("ConfigMap", "pf-dashboard");
    assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(map.at("/data/podflow-dashboard.json").asText())
        .isEqualTo(Files.readString(Tools.ROOT.resolve("grafana/podflow-dashboard.json")));
  }

  @Test
  void thePrometheusRuleCarriesThePlainRulesFile() throws Exception {
    Chart chart = Chart.render(Map.of("metrics.prometheusRule.enabled", true));
    JsonNode rules = Chart.YAML.readTree(Chart.DIR.resolve("files/podflow-alerts.yml").toFile());
    assertThat(chart.one("PrometheusRule", "pf-alerts").at("/spec/groups"))
        .isEqualTo(rules.path("groups"));
  }

  @Test
  void theOperatorsMcpJsonIsMountedWhereApiAndPodsReadIt() throws Exception {
    Chart chart = Chart.render(Map.of("mcpServers.search.url", "https://mcp.example.com/mcp"));
    JsonNode mcp =
        Chart.YAML.readTree(chart.one("ConfigMap", "pf-mcp").at("/data/mcp.json").asText());
    assertThat(mcp.at("/mcpServers/search/url").asText()).isEqualTo("https://mcp.example.com/mcp");
    for (String name : new String[] {"pf-api", "pf-pod"}) {
      JsonNode container = Chart.container(chart.one("Deployment", name));
      assertThat(Chart.env(container, "PODFLOW_MCP_CONFIG")).isEqualTo("/etc/podflow/mcp/mcp.json");
    }
  }

  @Test
  void theSchemaRefusesAnHpaScaledToZero() {
    assertThatThrownBy(() -> Chart.render(Map.of("autoscaling.minReplicas", 0)))
        .hasMessageContaining("minReplicas");
  }

  @Test
  void kedaScalesThePodsToZeroOnAQueryThatCountsDueTasksAsTheMetricsRole() throws Exception {
    Chart keda = Chart.render(Map.of("autoscaling.mode", "keda", "autoscaling.minReplicas", 0));
    assertThat(keda.all("HorizontalPodAutoscaler")).isEmpty();
    JsonNode scaled = keda.one("ScaledObject", "pf-pod");
    assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo("pf-pod");
    assertThat(scaled.at("/spec/minReplicaCount").asInt()).isZero();
    JsonNode trigger = scaled.at("/spec/triggers/0");
    assertThat(trigger.path("type").asText()).isEqualTo("postgresql");
    assertThat(trigger.at("/metadata/targetQueryValue").asText()).isEqualTo("1");
    keda.one("TriggerAuthentication", trigger.at("/authenticationRef/name").asText());

    TestDatabase db = TestDatabase.shared();
    db.truncateAll();
    db.database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "INSERT INTO proc_def (tenant_id, id, version, name, definition)"
                      + " VALUES ('default', 'keda', 1, 'keda', '{}')");
            });
    db.insertDueNoopTasks("keda", 6);
    // Of six tasks: one DONE, one FAILED and due (counted), one FAILED and one PENDING not due yet.
    db.database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("UPDATE todolist SET status = 'DONE', finished_at = now() WHERE id = 1");
              h.execute(
                  "UPDATE todolist SET status = 'FAILED', run_after = now() - interval '1 s' WHERE id = 2");
              h.execute(
                  "UPDATE todolist SET status = 'FAILED', run_after = now() + interval '1 h' WHERE id = 3");
              h.execute("UPDATE todolist SET run_after = now() + interval '1 h' WHERE id = 4");
            });
    String query = trigger.at("/metadata/query").asText();
    long due =
        db.database()
            .jdbi()
            .withHandle(
                h -> {
                  h.execute("SET ROLE podflow_metrics");
                  try {
                    return h.createQuery(query).mapTo(Long.class).one();
                  } finally {
                    h.execute("RESET ROLE");
                  }
                });
    assertThat(due).isEqualTo(3);
  }
}
