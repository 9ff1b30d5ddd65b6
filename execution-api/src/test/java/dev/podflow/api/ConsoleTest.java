package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.Database;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's files ({@link Console}) are served at {@code /} to anyone, each with the strict
 * Content-Security-Policy and the other browser headers, revalidated by ETag; a path that is no
 * file and no route is still the API's 404 problem.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ConsoleTest {
  private static final Pattern SCRIPT = Pattern.compile("<script[^>]* src=\"([^\"]+)\"");

  private ExecutionApi api;
  private ApiClient anonymous;

  @BeforeEach
  void start(Database db) {
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    anonymous = new ApiClient(api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theIndexAndItsScriptAreServedToAnyoneWithTheConsolesHeaders() {
    HttpResponse<String> index = anonymous.get("/");
    assertConsoleFile(index, "text/html");
    assertThat(index.body()).contains("<html");
    assertThat(anonymous.get("/index.html").body()).isEqualTo(index.body());
    // Open: even a bad credential is no reason to refuse it.
    assertConsoleFile(
        anonymous.get("/", "Authorization", "Bearer pfk_unknown_credential"), "text/html");

    Matcher script = SCRIPT.matcher(index.body());
    assertThat(script.find()).as("index.html loads a script").isTrue();
    assertConsoleFile(anonymous.get("/" + script.group(1)), "text/javascript");
  }

  @Test
  void aBrowserRevalidatesAFileByItsETag() {
    HttpResponse<String> first = anonymous.get("/");
    String etag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = anonymous.get("/", "If-None-Match", etag);

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.headers().firstValue("Content-Security-Policy"))
        .hasValue(Console.CONTENT_SECURITY_POLICY);
  }

  @Test
  void pathsThatAreNeitherFileNorRouteAreStillTheApisProblems() {
    for (String path : List.of("/api/v1/nope", "/nope.js", "/js/")) {
      HttpResponse<String> response = anonymous.get(path);
      assertProblem(response, 404, "route-not-found");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(response.headers().firstValue("Content-Security-Policy")).isEmpty();
    }
    assertProblem(anonymous.post("/", ""), 404, "route-not-found");
    assertProblem(anonymous.get("/api/v1/processes"), 401, "unauthenticated");
    assertThat(anonymous.get(OpenApiRoute.PATH).headers().firstValue("X-Content-Type-Options"))
        .hasValue("nosniff");
  }

  private static void assertConsoleFile(HttpResponse<String> response, String contentType) {
    assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith(contentType));
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValue(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-hashes'"
                + " 'sha256-I1eJXqVNj+08n4y3pPrBBHwVd1/+OgFogPTrSvGveQA='"
                + " 'sha256-kB+jZVAUzYnjZl8huoEZE5rSUruna0urxT29m7UQl1w='; img-src 'self' data:;"
                + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
                + " frame-ancestors 'none'; form-action 'self'");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }
}
