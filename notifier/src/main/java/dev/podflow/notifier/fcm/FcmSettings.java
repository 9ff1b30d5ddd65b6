package dev.podflow.notifier.fcm;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the notifier reaches FCM. Validated at construction; {@link #toString()} never shows the
 * access token. Immutable.
 *
 * @param projectId the Firebase project ({@code PODFLOW_FCM_PROJECT_ID}); null to take the one of
 *     the service account in {@code credentialsFile}
 * @param credentialsFile a service account JSON ({@code GOOGLE_APPLICATION_CREDENTIALS}), or null
 * @param accessToken a static OAuth bearer token ({@code PODFLOW_FCM_ACCESS_TOKEN}) used instead of
 *     credentials, for an egress proxy that adds its own or a local fake; or null
 * @param baseUrl where FCM's requests go instead of {@code https://fcm.googleapis.com} ({@code
 *     PODFLOW_FCM_BASE_URL}), or null
 * @param dryRun FCM validates every message without delivering it ({@code PODFLOW_FCM_DRY_RUN})
 * @param timeout how long connecting, and then waiting for FCM's answer, may each take ({@code
 *     PODFLOW_FCM_TIMEOUT_SECONDS}); a send that times out is retried
 */
public record FcmSettings(
    String projectId,
    Path credentialsFile,
    String accessToken,
    URI baseUrl,
    boolean dryRun,
    Duration timeout) {

  public static final String PROJECT_ID = "PODFLOW_FCM_PROJECT_ID";
  public static final String CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";
  public static final String ACCESS_TOKEN = "PODFLOW_FCM_ACCESS_TOKEN";
  public static final String BASE_URL = "PODFLOW_FCM_BASE_URL";
  public static final String DRY_RUN = "PODFLOW_FCM_DRY_RUN";
  public static final String TIMEOUT = "PODFLOW_FCM_TIMEOUT_SECONDS";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public FcmSettings {
    if (projectId == null && credentialsFile == null && accessToken == null) {
      throw new InvalidConfigurationException(
          PROJECT_ID
              + " is not set: FCM needs the Firebase project (or a service account file in "
              + CREDENTIALS
              + " naming it)");
    }
    if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new InvalidConfigurationException(
          "the FCM timeout must be 1 ms or more, not " + timeout);
    }
    if (credentialsFile != null && !Files.isReadable(credentialsFile)) {
      throw new InvalidConfigurationException(
          CREDENTIALS + " names " + credentialsFile + ", which is not a readable file");
    }
    if (baseUrl != null
        && (baseUrl.getHost() == null
            || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())))) {
      throw new InvalidConfigurationException(
          BASE_URL + " must be an http(s) URL such as https://fcm-proxy.internal, not " + baseUrl);
    }
  }

  /**
   * The FCM settings in {@code env}, or empty when none of {@code PODFLOW_FCM_PROJECT_ID}, {@code
   * GOOGLE_APPLICATION_CREDENTIALS} and {@code PODFLOW_FCM_ACCESS_TOKEN} is set (no FCM).
   */
  public static Optional<FcmSettings> fromEnvironment(Environment env) {
    String projectId = env.text(PROJECT_ID);
    String credentials = env.text(CREDENTIALS);
    String token = env.text(ACCESS_TOKEN);
    String baseUrl = env.text(BASE_URL);
    if (projectId == null && credentials == null && token == null) {
      if (baseUrl != null || env.text(DRY_RUN) != null) {
        throw new InvalidConfigurationException(
            (baseUrl != null ? BASE_URL : DRY_RUN)
                + " is set but FCM is not configured: set "
                + PROJECT_ID
                + " and "
                + CREDENTIALS
                + " (or "
                + ACCESS_TOKEN
                + ")");
      }
      return Optional.empty();
    }
    return Optional.of(
        new FcmSettings(
            projectId,
            credentials == null ? null : Path.of(credentials),
            token,
            baseUrl == null ? null : uri(baseUrl),
            dryRun(env.text(DRY_RUN)),
            env.seconds(TIMEOUT, DEFAULT_TIMEOUT, 1, 600)));
  }

  private static URI uri(String text) {
    try {
      return new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(BASE_URL + " is not a URL: " + e.getMessage());
    }
  }

  private static boolean dryRun(String text) {
    if (text == null || text.equalsIgnoreCase("false")) return false;
    if (text.equalsIgnoreCase("true")) return true;
    throw new InvalidConfigurationException(DRY_RUN + " must be true or false, not '" + text + "'");
  }

  @Override
  public String toString() {
    return "FcmSettings[project="
        + projectId
        + ", credentials="
        + (accessToken != null ? "static access token" : credentialsFile)
        + ", baseUrl="
        + (baseUrl == null ? "https://fcm.googleapis.com" : baseUrl)
        + (dryRun ? ", dry run" : "")
        + "]";
  }
}
