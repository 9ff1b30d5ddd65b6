package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** A thin JDK HttpClient wrapper for talking to a running {@link ExecutionApi} in tests. */
final class ApiClient {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;

  /** Sent as {@code Authorization: Bearer …} unless a request names its own; null for none. */
  private final String key;

  /** A client that sends no credentials. */
  ApiClient(int port) {
    this(port, null);
  }

  ApiClient(int port, String key) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.key = key;
  }

  /** A client with a fresh admin key of tenant {@code default}. */
  static ApiClient admin(Database db, int port) {
    return new ApiClient(port, issueKey(db, "default", Role.ADMIN, null));
  }

  /**
   * A fresh key (the whole secret) for {@code tenant} with {@code role}, acting for {@code user}.
   */
  static String issueKey(Database db, String tenant, Role role, String user) {
    return new ApiKeys(db.jdbi(), Clock.systemUTC())
        .create(tenant, role, user, null, "test")
        .wholeKey();
  }

  /** The same server as another principal. */
  ApiClient withKey(String otherKey) {
    return new ApiClient(base.getPort(), otherKey);
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    if (headers.length > 0) builder.headers(headers);
    boolean ownAuthorization = false;
    for (int i = 0; i < headers.length; i += 2) {
      ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
    }
    if (key != null && !ownAuthorization) builder.header("Authorization", "Bearer " + key);
    return builder;
  }

  HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  /** POSTs {@code body} as {@code application/json} plus the given headers. */
  HttpResponse<String> postJson(String path, Object body, String... headers) {
    String text = body instanceof String s ? s : Json.write(body);
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  /** Sends {@code body} as {@code application/json} with {@code method} (PATCH, PUT, …). */
  HttpResponse<String> sendJson(String method, String path, Object body, String... headers) {
    String text = body instanceof String s ? s : Json.write(body);
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(text)));
  }

  HttpResponse<String> delete(String path, String... headers) {
    return send(request(path, headers).DELETE());
  }

  /** POSTs {@code body} with exactly the given headers (no content type unless given). */
  HttpResponse<String> post(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return Json.parse(response.body());
  }

  /** Asserts an RFC 9457 problem response of the given status and type slug; returns its JSON. */
  static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).isEqualTo("https://podflow.dev/problems/" + slug);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(problem.path("instance").asText()).isEqualTo(response.uri().getPath());
    return problem;
  }
}
