package dev.podflow.notifier.email;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How the notifier reaches its SMTP server: {@code PODFLOW_SMTP_URL} ({@code
 * smtp://user:password@host:587} with STARTTLS required, {@code smtps://…:465} with TLS from the
 * start, or {@code smtp://host:25?starttls=false} for a relay on a trusted network) and {@code
 * PODFLOW_SMTP_FROM}, the sender address. Validated at construction; {@link #toString()} never
 * shows the password. Immutable.
 */
public record EmailSettings(
    String host,
    int port,
    boolean tls,
    boolean startTls,
    String user,
    String password,
    InternetAddress from) {

  public static final String URL = "PODFLOW_SMTP_URL";
  public static final String FROM = "PODFLOW_SMTP_FROM";

  /** The settings in {@code env}, or empty when {@code PODFLOW_SMTP_URL} is not set (no email). */
  public static Optional<EmailSettings> fromEnvironment(Environment env) {
    String url = env.text(URL);
    String from = env.text(FROM);
    if (url == null) {
      if (from != null) {
        throw new InvalidConfigurationException(
            FROM + " is set but " + URL + " is not: set the SMTP server, e.g. smtp://host:587");
      }
      return Optional.empty();
    }
    if (from == null) {
      throw new InvalidConfigurationException(
          URL + " needs " + FROM + ", the sender address, e.g. podflow@example.com");
    }
    return Optional.of(parse(url, from));
  }

  /**
   * {@code url} and {@code from} as {@code PODFLOW_SMTP_URL} and {@code PODFLOW_SMTP_FROM} give
   * them.
   */
  public static EmailSettings parse(String url, String from) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalidUrl("it is not a URL (" + e.getReason() + ")");
    }
    boolean tls = "smtps".equals(uri.getScheme());
    if (!tls && !"smtp".equals(uri.getScheme()))
      throw invalidUrl("its scheme must be smtp or smtps");
    if (uri.getHost() == null) throw invalidUrl("it names no host");
    boolean startTls = !tls && !"starttls=false".equals(uri.getQuery());
    if (uri.getQuery() != null && !"starttls=false".equals(uri.getQuery())) {
      throw invalidUrl("the only query it takes is ?starttls=false");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    }
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 587;
    InternetAddress sender;
    try {
      sender = new InternetAddress(from, true);
    } catch (AddressException e) {
      throw new InvalidConfigurationException(
          FROM + " is not an email address: '" + from + "' (" + e.getMessage() + ")");
    }
    return new EmailSettings(uri.getHost(), port, tls, startTls, user, password, sender);
  }

  /** Names the variable, never its value: the URL may hold a password. */
  private static InvalidConfigurationException invalidUrl(String why) {
    return new InvalidConfigurationException(
        URL
            + " must look like smtp://user:password@host:587 (STARTTLS), smtps://…:465 or"
            + " smtp://host:25?starttls=false; "
            + why);
  }

  @Override
  public String toString() {
    return "EmailSettings["
        + (tls ? "smtps://" : "smtp://")
        + (user == null ? "" : user + ":***@")
        + host
        + ":"
        + port
        + (tls ? "" : startTls ? " STARTTLS" : " plain")
        + ", from="
        + from
        + "]";
  }
}
