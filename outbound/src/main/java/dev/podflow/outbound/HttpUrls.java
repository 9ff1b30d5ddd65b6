package dev.podflow.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** What counts as a URL Podflow may be told to call: http or https, with a host. Stateless. */
public final class HttpUrls {
  private HttpUrls() {}

  public static boolean isHttpUrl(String text) {
    if (text == null) return false;
    try {
      URI url = new URI(text);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      return url.getHost() != null && (scheme.equals("http") || scheme.equals("https"));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
