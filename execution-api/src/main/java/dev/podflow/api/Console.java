package dev.podflow.api;

import dev.podflow.api.auth.Access;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.Set;

/**
 * The web console (issue 18): the files of {@value #DIRECTORY} on the class path, served at {@code
 * /} ({@code index.html}), {@code /app.js} and so on, open to anyone (the console asks its user for
 * a credential and sends it to the API itself). Routes come first, so a file can never shadow one;
 * a path that is neither answers the usual 404 problem. The console routes by URL fragment, so no
 * path needs a fallback to {@code index.html}.
 *
 * <p>Every file goes out with a strict Content-Security-Policy (its own origin's scripts, styles,
 * images, fonts and connections only; no inline script, no inline style but the form library's two,
 * no plug-ins, no framing), no referrer, no MIME sniffing, and {@code Cache-Control: no-cache}: a
 * browser revalidates each file (by its ETag) and so picks up a new jar's console at once. Every
 * other answer of the API carries {@code X-Content-Type-Options: nosniff} too.
 */
final class Console {
  static final String DIRECTORY = "console";

  /**
   * The form library (vendor/jsoneditor.js) sets two fixed style attributes (a visually hidden
   * label, a checkbox's margin): allowed by their hashes alone ('unsafe-hashes' admits attributes
   * matching a listed hash, nothing else).
   */
  private static final String FORM_LIBRARY_STYLES =
      "'unsafe-hashes' 'sha256-I1eJXqVNj+08n4y3pPrBBHwVd1/+OgFogPTrSvGveQA='"
          + " 'sha256-kB+jZVAUzYnjZl8huoEZE5rSUruna0urxT29m7UQl1w='";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' "
          + FORM_LIBRARY_STYLES
          + "; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  private static final String NO_SNIFF_HEADER = "X-Content-Type-Options";
  private static final String NO_SNIFF = "nosniff";

  private Console() {}

  static void register(JavalinConfig config) {
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = DIRECTORY;
          files.location = Location.CLASSPATH;
          files.roles = Set.of(Access.OPEN);
          files.headers =
              Map.of(
                  "Content-Security-Policy",
                  CONTENT_SECURITY_POLICY,
                  NO_SNIFF_HEADER,
                  NO_SNIFF,
                  "Referrer-Policy",
                  "no-referrer",
                  "Cache-Control",
                  "no-cache");
        });
    config.routes.before(ctx -> ctx.header(NO_SNIFF_HEADER, NO_SNIFF));
  }
}
