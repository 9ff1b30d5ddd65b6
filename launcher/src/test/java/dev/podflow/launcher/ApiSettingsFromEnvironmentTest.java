package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.api.ApiSettings;
import dev.podflow.store.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@code PODFLOW_CORS_ORIGINS}, {@code PODFLOW_API_METRICS_PORT} and the MCP and secret settings as
 * {@link Settings} reads them.
 */
class ApiSettingsFromEnvironmentTest {
  @Test
  void theMcpAllowlistAndTheSecretsKeyAreReadAndBadOnesStopTheStart() {
    ApiSettings api =
        new Settings(
                Map.of(
                    "PODFLOW_MCP_STDIO_COMMANDS", "/bin/sh",
                    "PODFLOW_SECRETS_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
            .api();
    assertThat(api.mcpAdmission().commandRefusal("files", "/bin/sh")).isEmpty();
    assertThat(api.mcpAdmission().commandRefusal("files", "/bin/cat")).isPresent();
    assertThat(api.secrets()).isPresent();
    assertThat(new Settings(Map.of()).api().secrets()).isEmpty();

    assertThatThrownBy(
            () -> new Settings(Map.of("PODFLOW_MCP_STDIO_COMMANDS", "no-such-command")).api())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_MCP_STDIO_COMMANDS", "no-such-command");
    assertThatThrownBy(() -> new Settings(Map.of("PODFLOW_SECRETS_KEY", "short")).api())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_SECRETS_KEY")
        .hasMessageNotContaining("short");
  }

  @Test
  void unsetMeansNoCorsAndMetricsOnTheApiPort() {
    ApiSettings api = new Settings(Map.of()).api();

    assertThat(api.port()).isEqualTo(Settings.DEFAULT_HTTP_PORT);
    assertThat(api.corsOrigins()).isEmpty();
    assertThat(api.metricsPort()).isEmpty();
    assertThat(api.jwt()).isEmpty();
  }

  @Test
  void originsAndMetricsPortAreRead() {
    ApiSettings api =
        new Settings(
                Map.of(
                    "PODFLOW_CORS_ORIGINS",
                    " https://app.example.com, http://localhost:3000 ,",
                    "PODFLOW_API_METRICS_PORT",
                    "9464"))
            .api();

    assertThat(api.corsOrigins())
        .containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(api.metricsPort()).isEqualTo(OptionalInt.of(9464));
  }

  @Test
  void aWildcardOriginStopsTheStartNamingTheVariable() {
    for (String wildcard : List.of("*", "https://app.example.com,*", "https://*.example.com")) {
      assertThatThrownBy(() -> new Settings(Map.of("PODFLOW_CORS_ORIGINS", wildcard)).api())
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("PODFLOW_CORS_ORIGINS")
          .hasMessageContaining("wildcard");
    }
  }

  @Test
  void aMalformedOriginStopsTheStartSayingWhy() {
    Map<String, String> cases =
        Map.of(
            "app.example.com", "http:// or https://",
            "ftp://app.example.com", "http:// or https://",
            "https://app.example.com/", "path",
            "https://app.example.com/app", "path",
            "https://user@app.example.com", "user",
            "https://App.Example.com", "lower case",
            "https://", "");
    cases.forEach(
        (origin, why) ->
            assertThatThrownBy(() -> new Settings(Map.of("PODFLOW_CORS_ORIGINS", origin)).api())
                .as(origin)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("PODFLOW_CORS_ORIGINS")
                .hasMessageContaining("'" + origin + "'")
                .hasMessageContaining(why));
  }

  @Test
  void aMetricsPortOutOfRangeStopsTheStart() {
    assertThatThrownBy(() -> new Settings(Map.of("PODFLOW_API_METRICS_PORT", "70000")).api())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_API_METRICS_PORT");
  }
}
