package dev.podflow.notifier.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import dev.podflow.store.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;

/**
 * A firebase-admin app of its own (named after the notifier, so several live in one JVM) built from
 * {@link FcmSettings}: its credentials (a static token, a service account file, or the application
 * default ones) and, with a base URL, an HTTP transport that sends FCM's requests there instead.
 * Close it to delete the app and its threads. Thread-safe.
 */
public final class FcmConnection implements AutoCloseable {
  /** The host firebase-admin sends messages to, which a base URL replaces. */
  static final String FCM_HOST = "fcm.googleapis.com";

  private final FirebaseApp app;
  private final FcmSettings settings;

  private FcmConnection(FirebaseApp app, FcmSettings settings) {
    this.app = app;
    this.settings = settings;
  }

  /**
   * Builds the app; fails with an {@link InvalidConfigurationException} naming the variable when
   * the credentials cannot be read or no project is known.
   */
  public static FcmConnection open(FcmSettings settings, String appName) {
    GoogleCredentials credentials = credentials(settings);
    String projectId = settings.projectId();
    if (projectId == null && credentials instanceof ServiceAccountCredentials account) {
      projectId = account.getProjectId();
    }
    if (projectId == null) {
      throw new InvalidConfigurationException(
          FcmSettings.PROJECT_ID + " is not set and the credentials name no project: set it");
    }
    FirebaseOptions.Builder options =
        FirebaseOptions.builder()
            .setProjectId(projectId)
            .setCredentials(credentials)
            .setConnectTimeout((int) settings.timeout().toMillis())
            .setReadTimeout((int) settings.timeout().toMillis());
    if (settings.baseUrl() != null) options.setHttpTransport(rewriting(settings.baseUrl()));
    return new FcmConnection(FirebaseApp.initializeApp(options.build(), appName), settings);
  }

  public FirebaseMessaging messaging() {
    return FirebaseMessaging.getInstance(app);
  }

  public FcmSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    app.delete();
  }

  private static GoogleCredentials credentials(FcmSettings settings) {
    if (settings.accessToken() != null) {
      // Never expires, so never refreshed: whoever issued it (a proxy, a test) keeps it valid.
      Date never = Date.from(Instant.parse("9999-01-01T00:00:00Z"));
      return GoogleCredentials.create(new AccessToken(settings.accessToken(), never));
    }
    if (settings.credentialsFile() != null) {
      try (InputStream in = Files.newInputStream(settings.credentialsFile())) {
        return GoogleCredentials.fromStream(in);
      } catch (IOException e) {
        throw new InvalidConfigurationException(
            FcmSettings.CREDENTIALS
                + " names "
                + settings.credentialsFile()
                + ", which is not a Google credentials file: "
                + e.getMessage());
      }
    }
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          FcmSettings.PROJECT_ID
              + " is set but no credentials were found: set "
              + FcmSettings.CREDENTIALS
              + " to a service account file, or "
              + FcmSettings.ACCESS_TOKEN
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  /** A transport that sends requests for FCM's host to {@code baseUrl}, path and query kept. */
  private static HttpTransport rewriting(URI baseUrl) {
    ConnectionFactory factory =
        url -> {
          URL target =
              FCM_HOST.equals(url.getHost()) ? URI.create(baseUrl + url.getFile()).toURL() : url;
          return (HttpURLConnection) target.openConnection();
        };
    return new NetHttpTransport.Builder().setConnectionFactory(factory).build();
  }
}
