package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests Jetty refuses before Javalin sees them answer {@code application/problem+json} like
 * every other error, not Jetty's HTML page. Raw sockets send what no well-behaved client would.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class JettyErrorsTest {
  private static final int SOCKET_TIMEOUT_MS = 10_000;

  private Database db;
  private ExecutionApi api;
  private ApiClient client;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    client = ApiClient.admin(db, api.port());
    assertThat(
            client
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void headerFieldsOverTheLimitAre431() {
    HttpResponse<String> response =
        client.get("/api/v1/processes", "X-Padding", "x".repeat(20_000));

    JsonNode problem = assertProblem(response, 431, "request-headers-too-large");
    assertThat(problem.path("detail").asText()).contains("8192 bytes");
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeAnyOfItIsSentAndWritesNothing() throws IOException {
    RowCounts before = RowCounts.of(db);

    // Only the head is sent: the answer must come without the server waiting for the body.
    RawResponse response =
        raw(
            """
            POST /api/v1/processes HTTP/1.1\r
            Host: localhost\r
            Content-Type: application/json\r
            Content-Length: 50000000\r
            Expect: 100-continue\r
            \r
            """);

    JsonNode problem = response.assertProblem(413, "request-too-large");
    assertThat(problem.path("detail").asText()).contains(JettyErrors.MAX_BODY_BYTES + " bytes");
    assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/processes");
    assertThat(response.head()).doesNotContain("100 Continue");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413AndWritesNothing() {
    RowCounts before = RowCounts.of(db);
    byte[] body =
        ("{\"definitionId\":\"greet\",\"input\":{\"s\":\"" + "x".repeat(1_100_000) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);

    // No length known up front: the JDK client sends it chunked.
    HttpResponse<String> response =
        client.send(
            client
                .request("/api/v1/processes")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));

    assertProblem(response, 413, "request-too-large");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aRequestLineTheParserRefusesIs400WithoutAnInstance() throws IOException {
    JsonNode problem = raw("NOT-HTTP\r\n\r\n").assertProblem(400, "bad-http-request");

    assertThat(problem.path("detail").asText()).startsWith("the HTTP request could not be parsed");
    assertThat(problem.has("instance")).isFalse();
  }

  @Test
  void aBadPercentEncodingOrANulInThePathIs400() throws IOException {
    for (String path : new String[] {"/api/v1/agents/%zz", "/api/v1/agents/%00"}) {
      JsonNode problem =
          raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
              .assertProblem(400, "bad-http-request");
      assertThat(problem.path("detail").asText()).contains("percent-encoding");
    }
  }

  @Test
  void aMalformedHeaderFieldIs400EvenOnAMethodJettyWouldAnswerWithoutABody() throws IOException {
    JsonNode problem =
        raw("DELETE /api/v1/processes HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n")
            .assertProblem(400, "bad-http-request");

    assertThat(problem.path("detail").asText()).contains("Illegal character");
  }

  @Test
  void aRequestLineOverTheLimitIs414() throws IOException {
    raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .assertProblem(414, "uri-too-long");
  }

  /** Sends {@code request} as it is (plus {@code Connection: close}) and reads the answer. */
  private RawResponse raw(String request) throws IOException {
    String withClose =
        request.endsWith("\r\n\r\n")
            ? request.substring(0, request.length() - 2) + "Connection: close\r\n\r\n"
            : request;
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      socket.getOutputStream().write(withClose.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("a complete response head in %s", text).isPositive();
      return new RawResponse(text.substring(0, end), text.substring(end + 4));
    }
  }

  private record RawResponse(String head, String body) {
    JsonNode assertProblem(int status, String slug) {
      assertThat(head).startsWith("HTTP/1.1 " + status + " ");
      assertThat(head.toLowerCase(Locale.ROOT))
          .contains("\r\ncontent-type: " + Problems.CONTENT_TYPE);
      JsonNode problem = Json.parse(body);
      assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + slug);
      assertThat(problem.path("status").asInt()).isEqualTo(status);
      assertThat(problem.path("title").asText()).isNotBlank();
      assertThat(problem.path("detail").asText()).isNotBlank();
      return problem;
    }
  }
}
