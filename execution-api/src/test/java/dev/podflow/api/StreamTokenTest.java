package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.auth.Principal;
import dev.podflow.api.auth.StreamTokens;
import dev.podflow.store.Database;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.auth.Role;
import dev.podflow.store.notify.Channel;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/stream-tokens} through HTTP on the real database: a token opens the
 * notification and event streams as exactly the caller that minted it, with no {@code
 * Authorization} header, as a browser's EventSource must; anywhere else, altered, expired or of
 * another tenant it opens nothing. The signing key is the database's, so a token minted by one API
 * process opens streams on another, and only the readers' role can read it.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class StreamTokenTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOKENS = StreamTokenRoutes.PATH;
  private static final String ADAS_NOTIFICATIONS = "/api/v1/users/ada/notifications";

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private ApiClient anonymous;
  private ApiClient ada;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    anonymous = new ApiClient(api.port());
    ada = anonymous.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aTokenOpensTheNotificationStreamOfItsUserWithoutAnAuthorizationHeader() throws Exception {
    Instant before = Instant.now();
    HttpResponse<String> minted = ada.post(TOKENS, "");
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    assertThat(minted.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = contract.check(minted);
    assertThat(Instant.parse(body.path("expiresAt").asText()))
        .isBetween(
            before.plus(StreamTokens.LIFETIME).minusSeconds(1),
            Instant.now().plus(StreamTokens.LIFETIME));

    Eventually.await(WAIT, "the event feed to listen", () -> api.eventFeed().isListening());
    String token = body.path("token").asText();
    try (SseRecording stream = SseRecording.open(anonymous, withToken(ADAS_NOTIFICATIONS, token))) {
      assertThat(stream.response().statusCode()).isEqualTo(200);
      assertThat(stream.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      Eventually.await(
          WAIT, "the stream to subscribe", () -> api.eventFeed().subscriberCount() == 1);

      long notification = notify("ada", "Review the draft");

      Eventually.await(WAIT, "ada's notification", () -> stream.messages().size() == 1);
      assertThat(stream.messages().getFirst().id()).isEqualTo(Long.toString(notification));
    }
    // The token acts as ada, a user: another user's stream is not hers to open.
    assertProblem(
        anonymous.get(
            withToken("/api/v1/users/bob/notifications", token), "Accept", "text/event-stream"),
        404,
        "user-not-found");
  }

  @Test
  void aTokenOpensTheEventStreamOfAProcessItsUserMaySeeAndNoOther() {
    ApiClient admin = ApiClient.admin(db, api.port());
    assertThat(
            admin
                .postJson("/api/v1/definitions", Definitions.linear("greet", "noop", "noop"))
                .statusCode())
        .isEqualTo(201);
    String process =
        json(ada.postJson("/api/v1/processes", "{\"definitionId\": \"greet\"}"))
            .path("id")
            .asText();
    String events = "/api/v1/processes/" + process + "/events";

    try (SseRecording stream = SseRecording.open(anonymous, withToken(events, mint(ada)))) {
      assertThat(stream.response().statusCode()).isEqualTo(200);
      Eventually.await(WAIT, "the process's first event", () -> !stream.messages().isEmpty());
      assertThat(stream.eventTypes().getFirst()).isEqualTo("process_started");
    }

    ApiClient bob = anonymous.withKey(ApiClient.issueKey(db, "default", Role.USER, "bob"));
    ApiClient acmeAdmin = anonymous.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, null));
    for (ApiClient other : new ApiClient[] {bob, acmeAdmin}) {
      assertProblem(
          anonymous.get(withToken(events, mint(other)), "Accept", "text/event-stream"),
          404,
          "process-not-found");
    }
  }

  @Test
  void aTokenOpensNothingButAStream() {
    String token = mint(ada);
    for (HttpResponse<String> refused :
        List.of(
            anonymous.get(withToken("/api/v1/processes", token)),
            anonymous.get(withToken("/api/v1/processes", token), "Accept", "text/event-stream"),
            anonymous.get(withToken(ADAS_NOTIFICATIONS, token)),
            anonymous.post(withToken(TOKENS, token), ""),
            anonymous.post(withToken(ADAS_NOTIFICATIONS + "/1/read", token), ""))) {
      JsonNode problem = assertProblem(refused, 401, "unauthenticated");
      assertThat(problem.path("detail").asText())
          .contains("a stream token opens only an event stream")
          .doesNotContain(token);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"podflow\"");
    }
    assertThat(
            problem(ada.get(withToken(ADAS_NOTIFICATIONS, token), "Accept", "text/event-stream")))
        .contains("not both");
  }

  @Test
  void anAlteredMalformedOrExpiredTokenIsRefused() {
    String token = mint(ada);
    // One character of the signed payload changed: the signature no longer matches it.
    char changed = token.charAt(5) == 'A' ? 'B' : 'A';
    String altered = token.substring(0, 5) + changed + token.substring(6);
    assertThat(problem(openNotifications(altered))).contains("signature does not match");
    assertThat(problem(openNotifications("pfk_not_a_stream_token"))).contains("malformed");
    assertThat(problem(openNotifications(""))).contains("malformed");

    Principal adaAsMinted = new Principal("default", "ada", Role.USER, "key:test");
    try (Database readers =
        Database.connect(db.config().withRole(DatabaseRole.METRICS).withPool(1, "test-readers"))) {
      // Another process with the same database: its tokens open this one's streams.
      String elsewhere =
          StreamTokens.fromDatabase(readers.jdbi(), Clock.systemUTC()).mint(adaAsMinted).token();
      try (SseRecording stream =
          SseRecording.open(anonymous, withToken(ADAS_NOTIFICATIONS, elsewhere))) {
        assertThat(stream.response().statusCode()).isEqualTo(200);
      }
      Clock twoMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2));
      String expired =
          StreamTokens.fromDatabase(readers.jdbi(), twoMinutesAgo).mint(adaAsMinted).token();
      assertThat(problem(openNotifications(expired)))
          .isEqualTo("stream token expired: ask POST /api/v1/stream-tokens for a new one");
    }
  }

  @Test
  void onlyTheReadersRoleReadsTheSigningKey() {
    try (Database requests =
        Database.connect(db.config().withRole(DatabaseRole.API).withPool(1, "test-requests"))) {
      for (String query :
          new String[] {
            "SELECT podflow_stream_token_key()", "SELECT secret FROM stream_token_key"
          }) {
        assertThatThrownBy(
                () ->
                    requests.jdbi().withHandle(h -> h.createQuery(query).mapTo(byte[].class).one()))
            .as(query)
            .hasMessageContaining("permission denied");
      }
    }
    int keyLength =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT length(secret) FROM stream_token_key")
                        .mapTo(Integer.class)
                        .one());
    assertThat(keyLength).as("the owner's view of the key").isEqualTo(32);
  }

  // --- helpers ---

  private static String withToken(String path, String token) {
    return path + "?" + StreamTokens.PARAMETER + "=" + token;
  }

  private String mint(ApiClient client) {
    HttpResponse<String> minted = client.post(TOKENS, "");
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    return json(minted).path("token").asText();
  }

  private HttpResponse<String> openNotifications(String token) {
    return anonymous.get(withToken(ADAS_NOTIFICATIONS, token), "Accept", "text/event-stream");
  }

  /** The detail of a 401 problem, which never repeats the token. */
  private String problem(HttpResponse<String> response) {
    JsonNode problem = assertProblem(response, 401, "unauthenticated");
    contract.check(response);
    String detail = problem.path("detail").asText();
    String token = response.uri().getRawQuery().substring(StreamTokens.PARAMETER.length() + 1);
    if (!token.isEmpty()) assertThat(detail).doesNotContain(token);
    return detail;
  }

  /** A notification as a pod writes it, announced as pods do; its id. */
  private long notify(String recipient, String title) {
    long id =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "INSERT INTO notifications (tenant_id, recipient, type, title, payload)"
                                + " VALUES ('default', :recipient, 'task_assigned', :title, '{}')"
                                + " RETURNING id")
                        .bind("recipient", recipient)
                        .bind("title", title)
                        .mapTo(Long.class)
                        .one());
    db.jdbi().useHandle(h -> h.execute("NOTIFY " + Channel.NOTIFICATIONS.sqlName()));
    return id;
  }
}
