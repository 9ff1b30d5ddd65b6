package dev.podflow.notifier.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the FCM variables: what turns FCM on, and the errors that name the variable. */
class FcmSettingsTest {

  @Test
  void noneOfTheVariablesMeansNoFcm() {
    assertThat(FcmSettings.fromEnvironment(new Environment(Map.of()))).isEmpty();
  }

  @Test
  void aStaticTokenAndABaseUrlPointAtAProxyAndAreNeverShown() {
    FcmSettings settings =
        FcmSettings.fromEnvironment(
                new Environment(
                    Map.of(
                        "PODFLOW_FCM_PROJECT_ID", "shop",
                        "PODFLOW_FCM_ACCESS_TOKEN", "ya29.secret",
                        "PODFLOW_FCM_BASE_URL", "http://fcm-proxy:8080/",
                        "PODFLOW_FCM_DRY_RUN", "true")))
            .orElseThrow();
    assertThat(settings.projectId()).isEqualTo("shop");
    assertThat(settings.baseUrl()).isEqualTo(URI.create("http://fcm-proxy:8080"));
    assertThat(settings.dryRun()).isTrue();
    assertThat(settings.toString()).doesNotContain("ya29.secret");
  }

  @Test
  void aBaseUrlWithoutAProjectIsRefusedByName() {
    assertThatThrownBy(
            () ->
                FcmSettings.fromEnvironment(
                    new Environment(Map.of("PODFLOW_FCM_BASE_URL", "http://fake:1"))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_FCM_BASE_URL")
        .hasMessageContaining("PODFLOW_FCM_PROJECT_ID");
  }

  @Test
  void malformedValuesAreRefusedByName() {
    assertThatThrownBy(() -> read("PODFLOW_FCM_DRY_RUN", "yes"))
        .hasMessageContaining("PODFLOW_FCM_DRY_RUN");
    assertThatThrownBy(() -> read("PODFLOW_FCM_BASE_URL", "fcm-proxy:8080"))
        .hasMessageContaining("PODFLOW_FCM_BASE_URL");
    assertThatThrownBy(() -> read("GOOGLE_APPLICATION_CREDENTIALS", "/no/such/file.json"))
        .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS")
        .hasMessageContaining("/no/such/file.json");
  }

  @Test
  void aCredentialsFileThatIsNotOneIsRefusedAtStartByName(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("key.json"), "{\"type\": \"nonsense\"}");
    FcmSettings settings =
        FcmSettings.fromEnvironment(
                new Environment(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())))
            .orElseThrow();
    assertThatThrownBy(() -> FcmConnection.open(settings, "bad-credentials"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
  }

  private static FcmSettings read(String name, String value) {
    return FcmSettings.fromEnvironment(
            new Environment(Map.of("PODFLOW_FCM_PROJECT_ID", "shop", name, value)))
        .orElseThrow();
  }
}
