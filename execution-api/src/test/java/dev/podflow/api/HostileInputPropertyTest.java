package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of hostile requests across every route that takes a body or parameters — malformed
 * JSON, wrong types at each field, oversized strings, deep nesting, odd Unicode and bytes that are
 * not UTF-8, huge numbers, unknown fields, bad ids, cursors and limits, wrong content types — each
 * answered with a 4xx RFC 9457 problem whose {@code status} is the HTTP status, never a 5xx, and
 * none writing a row. A request that happens to be valid may answer 2xx; those are counted (and
 * reported) and the row counts taken again after them. One API serves the whole run.
 */
class HostileInputPropertyTest {
  private static final String GREET = "greet";

  private static Database db;
  private static ExecutionApi api;
  private static ApiClient client;
  private static String processId;
  private static RowCounts baseline;

  private static final AtomicInteger TRIES = new AtomicInteger();
  private static final AtomicLong HTTP_NANOS = new AtomicLong();
  private static final AtomicInteger UNANSWERED = new AtomicInteger();
  private static final AtomicInteger ACCEPTED = new AtomicInteger();
  private static final Map<Integer, Integer> STATUSES = new TreeMap<>();

  /** A request: method, path with query, headers as name-value pairs, body bytes or null. */
  record Attempt(String method, String path, List<String> headers, byte[] body) {
    @Override
    public String toString() {
      String shown =
          body == null
              ? "-"
              : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8)
                  + (body.length > 300 ? "…(" + body.length + " bytes)" : "");
      String where = path.length() > 300 ? path.substring(0, 300) + "…" : path;
      return method + " " + where + " " + headers + " " + shown;
    }
  }

  @BeforeContainer
  static void startApi() {
    TestDatabase.shared().truncateAll();
    db = TestDatabase.shared().database();
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
    assertThat(
            client.postJson("/api/v1/definitions", Definitions.linear(GREET, "noop")).statusCode())
        .isEqualTo(201);
    HttpResponse<String> started =
        client.postJson("/api/v1/processes", "{\"definitionId\":\"greet\"}");
    assertThat(started.statusCode()).isEqualTo(201);
    processId = ApiClient.json(started).path("id").asText();
    baseline = RowCounts.of(db);
  }

  @AfterContainer
  static void stopApi() {
    System.out.printf(
        "HostileInputPropertyTest: %d requests (%d ms waiting for answers), %d answered 2xx"
            + " (valid by chance), %d sent again after no answer, statuses %s%n",
        TRIES.get(), HTTP_NANOS.get() / 1_000_000, ACCEPTED.get(), UNANSWERED.get(), STATUSES);
    if (api != null) api.close();
  }

  @Property(tries = 4000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
  void everyHostileRequestIsAProblemAndWritesNothing(@ForAll("attempts") Attempt attempt) {
    long sent = System.nanoTime();
    HttpResponse<String> response = send(attempt);
    HTTP_NANOS.addAndGet(System.nanoTime() - sent);
    int status = response.statusCode();
    TRIES.incrementAndGet();
    synchronized (STATUSES) {
      STATUSES.merge(status, 1, Integer::sum);
    }
    assertThat(status).as("status of %s: %s", attempt, response.body()).isBetween(200, 499);
    if (status < 300) {
      ACCEPTED.incrementAndGet();
      baseline = RowCounts.of(db);
      return;
    }
    assertThat(status).as("status of %s", attempt).isGreaterThanOrEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .as("content type of %s", attempt)
        .hasValueSatisfying(ct -> assertThat(ct).startsWith(Problems.CONTENT_TYPE));
    JsonNode problem = Json.parse(response.body());
    assertThat(problem.path("type").isTextual()).as("type in %s", response.body()).isTrue();
    assertThat(problem.path("status").asInt())
        .as("status in %s", response.body())
        .isEqualTo(status);
    assertThat(RowCounts.of(db)).as("rows after %s", attempt).isEqualTo(baseline);
  }

  private static HttpResponse<String> send(Attempt attempt) {
    HttpRequest.Builder request =
        client.request(attempt.path(), attempt.headers().toArray(String[]::new));
    HttpRequest.BodyPublisher body =
        attempt.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(attempt.body());
    // Over the limit, the client waits for the 413 before it sends the body, as JettyErrorsTest
    // does: one that sends it anyway races the server closing the connection, and may see a
    // reset instead of the answer.
    if (attempt.body() != null && attempt.body().length > JettyErrors.MAX_BODY_BYTES) {
      request.expectContinue(true);
    }
    request.method(attempt.method(), body);
    try {
      return client.send(request);
    } catch (UncheckedIOException e) {
      // No answer at all: a pooled connection the server had closed (seen about once in 4,000
      // requests, "header parser received no bytes"). Sent again once, and counted.
      UNANSWERED.incrementAndGet();
      return client.send(request);
    }
  }

  @Provide
  Arbitrary<Attempt> attempts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, bodyAttempts()), Tuple.of(3, pathAttempts()), Tuple.of(3, queryAttempts()));
  }

  // ---- bodies --------------------------------------------------------------------------------

  private Arbitrary<Attempt> bodyAttempts() {
    return Combinators.combine(bodyRoutes(), bodies(), contentTypes(), idempotencyKeys())
        .as(
            (path, body, contentType, key) -> {
              List<String> headers = new ArrayList<>();
              if (contentType != null) headers.addAll(List.of("Content-Type", contentType));
              if (key != null && path.equals("/api/v1/processes")) {
                headers.addAll(List.of("Idempotency-Key", key));
              }
              return new Attempt("POST", path, headers, body);
            });
  }

  private Arbitrary<String> bodyRoutes() {
    return Arbitraries.of(
            "/api/v1/definitions",
            "/api/v1/agents",
            "/api/v1/processes",
            "/api/v1/processes/{process}/cancel",
            "/api/v1/processes/{process}/retry",
            "/api/v1/tasks/1/complete",
            "/api/v1/tasks/{task}/complete")
        .map(
            path ->
                path.replace("{process}", processId == null ? "x" : processId)
                    .replace("{task}", "9223372036854775807"));
  }

  private Arbitrary<String> contentTypes() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just("application/json")),
        Tuple.of(
            3,
            Arbitraries.of(
                "text/plain",
                "application/json; charset=utf-16",
                "application/x-www-form-urlencoded",
                "application/merge-patch+json",
                "application/jsonx",
                "multipart/form-data; boundary=x",
                "APPLICATION/JSON",
                "application/problem+json",
                ";",
                "application/json;;;;charset=\"",
                " ")),
        Tuple.of(1, Arbitraries.just((String) null)));
  }

  private Arbitrary<String> idempotencyKeys() {
    return Arbitraries.oneOf(
        Arbitraries.just((String) null),
        Arbitraries.strings().ascii().ofMaxLength(300).map(s -> s.replaceAll("[^ -~]", "k")),
        Arbitraries.just("x".repeat(5000)));
  }

  /** Bodies: mostly JSON shaped like a route's, with hostile values; some not JSON at all. */
  private Arbitrary<byte[]> bodies() {
    Arbitrary<String> shaped =
        Arbitraries.oneOf(definitionBodies(), agentBodies(), startBodies(), answerBodies());
    return Arbitraries.frequencyOf(
        Tuple.of(8, shaped.map(HostileInputPropertyTest::utf8)),
        Tuple.of(2, malformedText().map(HostileInputPropertyTest::utf8)),
        Tuple.of(
            2,
            Combinators.combine(shaped, Arbitraries.integers().between(0, 400))
                .as(HostileInputPropertyTest::truncated)),
        Tuple.of(2, Combinators.combine(shaped, badBytes()).as(HostileInputPropertyTest::spliced)),
        Tuple.of(1, Arbitraries.just(new byte[0])),
        Tuple.of(1, deep().map(HostileInputPropertyTest::utf8)),
        Tuple.of(1, oversized().map(HostileInputPropertyTest::utf8)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] truncated(String text, int at) {
    byte[] bytes = utf8(text);
    return java.util.Arrays.copyOf(bytes, Math.min(at, bytes.length));
  }

  /** Bytes that are not UTF-8 put inside a JSON string or between tokens. */
  private static byte[] spliced(String text, byte[] bad) {
    byte[] bytes = utf8(text);
    int at = Math.max(0, text.indexOf('"') + 1);
    at = Math.min(at, bytes.length);
    byte[] out = new byte[bytes.length + bad.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(bad, 0, out, at, bad.length);
    System.arraycopy(bytes, at, out, at + bad.length, bytes.length - at);
    return out;
  }

  private Arbitrary<byte[]> badBytes() {
    return Arbitraries.of(
        new byte[] {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/'
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
        new byte[] {(byte) 0xFF, (byte) 0xFE},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        new byte[] {(byte) 0x80},
        new byte[] {0},
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a BOM
  }

  private Arbitrary<String> malformedText() {
    return Arbitraries.of(
        "{",
        "}",
        "{\"a\":}",
        "{'definitionId':'greet'}",
        "{\"definitionId\":\"greet\"}{}",
        "{\"definitionId\":\"greet\",}",
        "{\"definitionId\":\"greet\" \"input\":{}}",
        "{\"a\":1,\"a\":2}",
        "[]",
        "null",
        "true",
        "1",
        "\"greet\"",
        "{\"definitionId\":NaN}",
        "{\"definitionId\":Infinity}",
        "{\"x\":01}",
        "{\"x\":0x10}",
        "{\"x\":\"\\x41\"}",
        "{\"x\":\"\\u00\"}",
        "{\"x\":\"\\uZZZZ\"}",
        "{\"x\":\"\t\"}",
        "{\"x\":\"\n\"}",
        "/* c */ {}",
        "{\"x\":1} // c",
        "\uFEFF{}",
        "definitionId=greet",
        "   ",
        "{\"output\":{\"a\":1}, \"output\":{}}");
  }

  /**
   * A string or key around the limit of 200,000 characters, or a body around the limit of 1,000,000
   * bytes ('é' is two bytes).
   */
  private Arbitrary<String> oversized() {
    return Combinators.combine(
            Arbitraries.of(199_999, 200_000, 200_001, 400_000, 499_999, 500_001),
            Arbitraries.of("a", "é"),
            Arbitraries.of("definitionId", "input", "output", "name", "key"))
        .as(
            (chars, letter, field) -> {
              String text = letter.repeat(chars);
              return switch (field) {
                case "input" -> "{\"definitionId\":\"greet\",\"input\":{\"s\":\"" + text + "\"}}";
                case "output" -> "{\"output\":{\"s\":\"" + text + "\"}}";
                case "key" -> "{\"definitionId\":\"greet\",\"input\":{\"" + text + "\":1}}";
                default -> "{\"" + field + "\":\"" + text + "\"}";
              };
            });
  }

  /** Nesting around the limit of 64, sometimes far beyond it. */
  private Arbitrary<String> deep() {
    return Combinators.combine(
            Arbitraries.integers().between(55, 80).injectDuplicates(0.1),
            Arbitraries.of("[", "{\"a\":"),
            Arbitraries.of("definitionId", "input", "output", "activities", "config"))
        .as(
            (depth, open, field) -> {
              String close = open.equals("[") ? "]" : "}";
              return "{\"" + field + "\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
            });
  }

  private Arbitrary<String> startBodies() {
    return Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("\"greet\"")), Tuple.of(6, value(2))),
            value(3),
            extraFields())
        .as(
            (definitionId, input, extra) ->
                "{\"definitionId\":" + definitionId + ",\"input\":" + input + extra + "}");
  }

  private Arbitrary<String> answerBodies() {
    return Combinators.combine(value(3), extraFields())
        .as((output, extra) -> "{\"output\":" + output + extra + "}");
  }

  private Arbitrary<String> definitionBodies() {
    Arbitrary<String> activity =
        Combinators.combine(value(1), value(1), value(2), value(1), value(1))
            .as(
                (id, orchestrator, config, next, maxAttempts) ->
                    "{\"id\":"
                        + id
                        + ",\"orchestrator\":"
                        + orchestrator
                        + ",\"config\":"
                        + config
                        + ",\"next\":"
                        + next
                        + ",\"maxAttempts\":"
                        + maxAttempts
                        + "}");
    return Combinators.combine(
            value(1),
            value(1),
            activity.list().ofMaxSize(3),
            extraFields(),
            Arbitraries.of(true, false))
        .as(
            (id, name, activities, extra, asList) ->
                "{\"id\":"
                    + id
                    + ",\"name\":"
                    + name
                    + ",\"activities\":"
                    + (asList
                        ? "[" + String.join(",", activities) + "]"
                        : activities.isEmpty() ? "7" : activities.get(0))
                    + extra
                    + "}");
  }

  private Arbitrary<String> agentBodies() {
    return Combinators.combine(value(1), value(1), value(1), value(2), value(1), extraFields())
        .as(
            (id, name, persona, tools, model, extra) ->
                "{\"id\":"
                    + id
                    + ",\"name\":"
                    + name
                    + ",\"persona\":"
                    + persona
                    + ",\"tools\":"
                    + tools
                    + ",\"model\":"
                    + model
                    + extra
                    + "}");
  }

  private Arbitrary<String> extraFields() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just("")),
        Tuple.of(1, Combinators.combine(jsonString(), value(1)).as((k, v) -> "," + k + ":" + v)));
  }

  /** A JSON value as text, nesting at most {@code depth} more levels. */
  private Arbitrary<String> value(int depth) {
    List<Tuple.Tuple2<Integer, Arbitrary<? extends String>>> choices = new ArrayList<>();
    choices.add(Tuple.of(4, jsonString()));
    choices.add(Tuple.of(3, number()));
    choices.add(Tuple.of(1, Arbitraries.of("true", "false", "null")));
    if (depth > 0) {
      choices.add(
          Tuple.of(
              2,
              value(depth - 1)
                  .list()
                  .ofMaxSize(3)
                  .map(items -> "[" + String.join(",", items) + "]")));
      choices.add(
          Tuple.of(
              2,
              Combinators.combine(jsonString(), value(depth - 1))
                  .as((k, v) -> k + ":" + v)
                  .list()
                  .ofMaxSize(3)
                  .uniqueElements()
                  .map(members -> "{" + String.join(",", members) + "}")));
    }
    return Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
  }

  private Arbitrary<String> number() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "0",
            "-0",
            "1e400",
            "-1e400",
            "1e-400",
            "1.7976931348623157e308",
            "4.9e-324",
            "9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890123456789",
            "1" + "0".repeat(999),
            "1" + "0".repeat(1001),
            "0.1e99999999999",
            "2147483648",
            "1.5",
            "-1"),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.doubles()
            .map(String::valueOf)
            .filter(s -> !s.contains("N") && !s.contains("I")));
  }

  /** A JSON string literal: odd Unicode, escapes, sometimes oversized. */
  private Arbitrary<String> jsonString() {
    Arbitrary<String> raw =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.strings().all().ofMaxLength(12)),
            Tuple.of(2, Arbitraries.of(oddTexts())),
            Tuple.of(1, Arbitraries.of("greet", "noop", "human", "id", "input", "output")));
    Arbitrary<String> escapes =
        Arbitraries.of(
            "\"\\u0000\"",
            "\"a\\u0000b\"",
            "\"\\ud800\"",
            "\"\\udfff\\ud800\"",
            "\"\\uD83D\\uDE00\"",
            "\"\\u202e\\u200f\"",
            "\"\\uFFFF\"",
            "\"\\/\\b\\f\\n\\r\\t\"");
    return Arbitraries.frequencyOf(
        Tuple.of(5, raw.map(HostileInputPropertyTest::quote)), Tuple.of(2, escapes));
  }

  private static String[] oddTexts() {
    return new String[] {
      "",
      " ",
      "\u0000",
      "a\u0000",
      "\ud800",
      "\udc00x",
      "\u202e\u202dabc",
      "\u200f",
      "😀🙃",
      "\uFEFF",
      "\u0085",
      "\u2028\u2029",
      "Ω≈ç√",
      "../../etc/passwd",
      "'; DROP TABLE todolist; --",
      "%00",
      "${jndi:ldap://x}",
      "\\",
      "\"",
      "<script>",
      "a".repeat(64),
      "a".repeat(65)
    };
  }

  /**
   * Jackson writes a Java string as JSON, escaping what must be; unpaired surrogates stay as-is.
   */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  // ---- paths and queries ---------------------------------------------------------------------

  private Arbitrary<Attempt> pathAttempts() {
    return Combinators.combine(
            Arbitraries.of(
                "GET /api/v1/definitions/{x}",
                "GET /api/v1/definitions/{x}/versions",
                "GET /api/v1/agents/{x}",
                "GET /api/v1/processes/{x}",
                "GET /api/v1/processes/{x}/events",
                "POST /api/v1/processes/{x}/cancel",
                "POST /api/v1/processes/{x}/retry",
                "POST /api/v1/tasks/{x}/complete"),
            pathSegments())
        .as(
            (route, segment) -> {
              String[] parts = route.split(" ", 2);
              boolean post = parts[0].equals("POST");
              return new Attempt(
                  parts[0],
                  parts[1].replace("{x}", segment),
                  post ? List.of("Content-Type", "application/json") : List.of(),
                  post ? utf8("{\"output\":{}}") : null);
            });
  }

  private Arbitrary<String> pathSegments() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .all()
            .ofMinLength(1)
            .ofMaxLength(20)
            .map(HostileInputPropertyTest::encode),
        Arbitraries.of(oddTexts()).filter(s -> !s.isEmpty()).map(HostileInputPropertyTest::encode),
        Arbitraries.of(
            "0",
            "-1",
            "9223372036854775808",
            "1e3",
            "00000000-0000-0000-0000-000000000000",
            "3F2B6C1E-0000-4000-8000-000000000000",
            "3f2b6c1e-0000-4000-8000-00000000000",
            "%c0%af",
            "%ed%a0%80",
            "%ff",
            "%00",
            "greet%00",
            "%2e%2e",
            "%20",
            "greet;v=1",
            "x".repeat(5_000),
            "x".repeat(9_000)));
  }

  private Arbitrary<Attempt> queryAttempts() {
    Arbitrary<String> param =
        Combinators.combine(
                Arbitraries.of(
                    "limit",
                    "cursor",
                    "after",
                    "status",
                    "assignee",
                    "initiator",
                    "definitionId",
                    "createdAfter",
                    "createdBefore",
                    "version"),
                queryValues())
            .as((name, value) -> name + "=" + value);
    return Combinators.combine(
            Arbitraries.of(
                "/api/v1/definitions",
                "/api/v1/definitions/greet",
                "/api/v1/definitions/greet/versions",
                "/api/v1/agents",
                "/api/v1/processes",
                "/api/v1/processes/{process}/events",
                "/api/v1/tasks"),
            param.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (path, params) ->
                new Attempt(
                    "GET",
                    path.replace("{process}", processId == null ? "x" : processId)
                        + "?"
                        + String.join("&", params),
                    List.of(),
                    null));
  }

  private Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "",
            "0",
            "-1",
            "501",
            "abc",
            "1e3",
            "99999999999999999999",
            "%20",
            "%00",
            "%ff",
            "%c0%af",
            "WAITING",
            "waiting",
            "RUNNING%00",
            "2025-13-45T99:00:00Z",
            "2025-05-01T12:00:00Z",
            "-999999999-01-01T00:00:00Z",
            "eyJ4IjoxfQ",
            "YzYwYjMyNDNwcm9jZXNzZXMK",
            "%2B%2F%3D",
            "x".repeat(7_000)),
        Arbitraries.strings().all().ofMaxLength(40).map(HostileInputPropertyTest::encode));
  }

  /** Percent-encodes UTF-8; an unpaired surrogate comes out as '?'. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
