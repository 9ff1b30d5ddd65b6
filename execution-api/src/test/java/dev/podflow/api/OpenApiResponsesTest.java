package dev.podflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.suspension.WakeTokens;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.mcp.StdioCommands;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.Role;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real answers of the API validate against the OpenAPI document: for each route a happy request and
 * failing ones, each answer's status, content type and body checked against what the document
 * declares for that operation ({@link OpenApiContract}), every problem's {@code type} one the
 * operation lists. The bodies sent as valid requests validate against the request schemas, and
 * bodies the server refuses do not.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class OpenApiResponsesTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String DEFINITIONS = "/api/v1/definitions";
  private static final String AGENTS = "/api/v1/agents";
  private static final String PROCESSES = "/api/v1/processes";
  private static final String TASKS = "/api/v1/tasks";
  private static final String AUDIT = "/api/v1/audit";
  private static final String DOCUMENTS = "/api/v1/documents";
  private static final String MCP_SERVERS = "/api/v1/mcp-servers";
  private static final String SECRETS = "/api/v1/secrets";
  private static final String ADA = "/api/v1/users/ada";
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  private static final String TEST_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String UNKNOWN_PROCESS = "3f2b6c1e-0000-4000-8000-000000000000";
  private static final String FORM =
      """
      {"type":"object","required":["approved"],"additionalProperties":false,
       "properties":{"approved":{"type":"boolean"},"note":{"type":"string"}}}""";

  /** A request for each operation that takes credentials, with a body where it takes one. */
  private static final List<String[]> SAMPLES =
      List.of(
          new String[] {"POST", DEFINITIONS, "{}"},
          new String[] {"GET", DEFINITIONS, null},
          new String[] {"GET", DEFINITIONS + "/greet", null},
          new String[] {"GET", DEFINITIONS + "/greet/versions", null},
          new String[] {"POST", AGENTS, "{}"},
          new String[] {"GET", AGENTS, null},
          new String[] {"GET", AGENTS + "/writer", null},
          new String[] {"POST", AGENTS + "/writer/knowledge", "{\"text\":\"t\"}"},
          new String[] {"GET", AGENTS + "/writer/memories", null},
          new String[] {"DELETE", AGENTS + "/writer/memories/1", null},
          new String[] {"POST", AGENTS + "/writer/memories/1/promote", null},
          new String[] {"POST", DOCUMENTS, "{\"title\":\"t\",\"text\":\"t\"}"},
          new String[] {"GET", DOCUMENTS, null},
          new String[] {"GET", DOCUMENTS + "/1", null},
          new String[] {"DELETE", DOCUMENTS + "/1", null},
          new String[] {"GET", AUDIT, null},
          new String[] {"POST", MCP_SERVERS, "{}"},
          new String[] {"GET", MCP_SERVERS, null},
          new String[] {"GET", MCP_SERVERS + "/files", null},
          new String[] {"PATCH", MCP_SERVERS + "/files", "{}"},
          new String[] {"DELETE", MCP_SERVERS + "/files", null},
          new String[] {"PUT", SECRETS + "/TOKEN", "{\"value\":\"v\"}"},
          new String[] {"GET", SECRETS, null},
          new String[] {"DELETE", SECRETS + "/TOKEN", null},
          new String[] {"POST", McpEndpoint.PATH, PING},
          new String[] {"POST", "/a2a/default/agent", PING},
          new String[] {"POST", PROCESSES, "{}"},
          new String[] {"GET", PROCESSES, null},
          new String[] {"GET", PROCESSES + "/" + UNKNOWN_PROCESS, null},
          new String[] {"POST", PROCESSES + "/" + UNKNOWN_PROCESS + "/cancel", null},
          new String[] {"POST", PROCESSES + "/" + UNKNOWN_PROCESS + "/retry", null},
          new String[] {"GET", PROCESSES + "/" + UNKNOWN_PROCESS + "/events", null},
          new String[] {"GET", TASKS, null},
          new String[] {"POST", TASKS + "/1/complete", "{}"},
          new String[] {"POST", TASKS + "/1/feedback", "{\"rating\":5}"},
          new String[] {"GET", "/api/v1/me", null},
          new String[] {"GET", ADA, null},
          new String[] {"PUT", ADA, "{}"},
          new String[] {"POST", ADA + "/devices", "{\"token\":\"t\",\"platform\":\"web\"}"},
          new String[] {"GET", ADA + "/devices", null},
          new String[] {"DELETE", ADA + "/devices/t", null},
          new String[] {"GET", ADA + "/notifications", null},
          new String[] {"POST", ADA + "/notifications/1/read", null},
          new String[] {"POST", StreamTokenRoutes.PATH, null});

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private Engine engine;
  private ApiClient anonymous;
  private ApiClient admin;
  private ApiClient operator;
  private ApiClient user;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0)
                .withMcpAdmission(
                    new McpAdmission(
                        new StdioCommands(List.of(), null),
                        new OutboundGuard(List.of("127.0.0.1/32")),
                        List.of()))
                .withSecrets(Optional.of(SecretCipher.fromBase64Key(TEST_KEY))));
    engine =
        new Engine(
            db.jdbi(),
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.jdbi()));
    anonymous = new ApiClient(api.port());
    admin = ApiClient.admin(db, api.port());
    operator = anonymous.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    user = anonymous.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void realAnswersMatchTheDocument() throws IOException {
    definitions();
    agents();
    audit();
    mcpServers();
    secrets();
    mcp();
    webhooks();
    a2aServer();
    processes();
    cancelAndRetry();
    events();
    tasks();
    memories();
    documents();
    users();
    streamTokens();
    openRoutes();
    transportLimits();

    Map<String, Set<Integer>> checked = contract.checked();
    for (String operation : contract.operations()) {
      assertThat(checked.getOrDefault(operation, Set.of()))
          .as("statuses of %s checked against the document", operation)
          .anyMatch(status -> status >= 200 && status < 300)
          .anyMatch(status -> status >= 400 && status < 500);
    }
  }

  @Test
  void everyApiOperationAnswers401WithoutCredentials() {
    assertThat(SAMPLES.stream().map(s -> contract.operationOf(s[0], s[1])).sorted().toList())
        .as("a sample for every operation that takes credentials")
        .containsExactlyElementsOf(apiOperations());
    for (String[] sample : SAMPLES) {
      HttpResponse<String> response = call(anonymous, sample);
      problem(401, "unauthenticated", response);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .as("%s %s", sample[0], sample[1])
          .hasValue("Bearer realm=\"podflow\"");
    }
  }

  @Test
  void everyApiOperationAdmitsTheRoleTheDocumentNamesAndNoLesser() {
    Map<Role, ApiClient> clients =
        Map.of(Role.USER, user, Role.OPERATOR, operator, Role.ADMIN, admin);
    for (String[] sample : SAMPLES) {
      String operation = contract.operationOf(sample[0], sample[1]);
      Role least =
          Role.fromWireName(contract.operation(operation).path("x-podflow-role").asText())
              .orElseThrow();
      for (Role role : Role.values()) {
        HttpResponse<String> response = call(clients.get(role), sample);
        if (role.includes(least)) {
          assertThat(response.statusCode())
              .as("%s as %s: %s", operation, role, response.body())
              .isNotIn(401, 403);
          contract.check(response);
        } else {
          JsonNode problem = problem(403, "forbidden", response);
          assertThat(problem.path("detail").asText()).contains(least.wireName());
        }
      }
    }
  }

  @Test
  void requestsNoOperationTakesAnswerProblemsOfTheCatalog() {
    JsonNode problemSchema = Json.parse("{\"$ref\": \"#/components/schemas/Problem\"}");
    Map<HttpResponse<String>, ProblemType> unrouted =
        Map.of(
            admin.get("/api/v1/nothing"),
            ProblemType.ROUTE_NOT_FOUND,
            admin.send(admin.request(PROCESSES).DELETE()),
            ProblemType.METHOD_NOT_ALLOWED);
    unrouted.forEach(
        (response, type) -> {
          assertThat(response.statusCode()).isEqualTo(type.status());
          JsonNode problem = ApiClient.json(response);
          contract.assertValid(type.toString(), problemSchema, problem);
          String slug = type.type().toString().substring(ProblemType.BASE.length());
          assertThat(problem.path("type").asText())
              .isEqualTo(
                  contract
                      .document
                      .path("components")
                      .path("examples")
                      .path(slug)
                      .path("value")
                      .path("type")
                      .asText());
        });
  }

  @Test
  void theRequestSchemasRefuseBodiesTheServerRefuses() {
    created(admin.postJson(DEFINITIONS, Definitions.linear("greet", "noop")));
    List<String[]> refused =
        List.of(
            new String[] {DEFINITIONS, "{\"id\":\"d\",\"activities\":[]}"},
            new String[] {DEFINITIONS, "{\"id\":\"d\",\"activities\":[{\"id\":\"a\"}]}"},
            new String[] {
              DEFINITIONS,
              "{\"id\":\"d\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\","
                  + "\"maxAttempts\":101}]}"
            },
            new String[] {
              DEFINITIONS,
              "{\"id\":\"d\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\","
                  + "\"next\":[{\"to\":\"a\",\"when\":\"true\",\"otherwise\":true}]}]}"
            },
            new String[] {
              DEFINITIONS,
              "{\"id\":\"d\",\"owner\":\"x\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"
            },
            new String[] {AGENTS, "{\"id\":\"w\"}"},
            new String[] {AGENTS, "{\"id\":\"-w\",\"name\":\"W\"}"},
            new String[] {AGENTS, "{\"id\":\"w\",\"name\":\"W\",\"tools\":[\"a\",\"a\"]}"},
            new String[] {PROCESSES, "{}"},
            new String[] {PROCESSES, "{\"definitionId\":\"greet\",\"input\":[1]}"},
            new String[] {PROCESSES, "{\"definitionId\":\"greet\",\"by\":\"x\"}"},
            new String[] {PROCESSES + "/" + UNKNOWN_PROCESS + "/cancel", "{\"force\":true}"},
            new String[] {TASKS + "/1/complete", "{\"output\":[1]}"},
            new String[] {TASKS + "/1/complete", "{\"answer\":{}}"},
            new String[] {TASKS + "/1/feedback", "{\"rating\":0}"},
            new String[] {TASKS + "/1/feedback", "{\"rating\":3,\"note\":\"x\"}"},
            new String[] {AGENTS + "/writer/knowledge", "{\"text\":\"\"}"},
            new String[] {DOCUMENTS, "{\"title\":\"t\",\"text\":\" \"}"},
            new String[] {
              DOCUMENTS, "{\"title\":\"t\",\"text\":\"t\",\"mediaType\":\"text/html\"}"
            },
            new String[] {ADA + "/devices", "{\"token\":\"a b\",\"platform\":\"web\"}"},
            new String[] {ADA + "/devices", "{\"token\":\"t\",\"platform\":\"windows\"}"});
    for (String[] request : refused) {
      HttpResponse<String> response = admin.postJson(request[0], request[1]);
      assertThat(response.statusCode()).as("%s %s", request[0], request[1]).isBetween(400, 499);
      contract.check(response);
      assertThatThrownBy(() -> contract.checkRequest("POST", request[0], request[1]))
          .as("the document refuses %s for %s", request[1], request[0])
          .isInstanceOf(AssertionError.class);
    }
  }

  private void definitions() {
    created(post(admin, DEFINITIONS, Json.write(Definitions.linear("greet", "noop", "noop"))));
    created(
        post(
            admin,
            DEFINITIONS,
            """
            {"id":"review","name":"Review","activities":[
              {"id":"check","orchestrator":"human","config":{"assignee":"ada","form":%s}},
              {"id":"finish","orchestrator":"noop"}]}"""
                .formatted(FORM)));
    String branchy =
        """
        {"id":"branchy","name":"Branches and a join","activities":[
          {"id":"score","orchestrator":"noop","maxAttempts":5,"priority":1,"timeoutSeconds":60,
           "backoff":{"initialSeconds":2,"maxSeconds":120},"maxPasses":3,
           "next":[{"to":"high","when":"output.score >= 0.8"},{"to":"low","otherwise":true}]},
          {"id":"high","orchestrator":"sleep","config":{"ms":1},"next":["file"]},
          {"id":"low","orchestrator":"noop","next":["file"]},
          {"id":"file","name":"File it","orchestrator":"noop","join":"all","next":[]}]}""";
    created(
        post(
            admin,
            DEFINITIONS,
            """
            {"id":"announce","inputSchema":{"type":"object","required":["topic"],
              "properties":{"topic":{"type":"string","title":"Topic"}}},
             "activities":[{"id":"a","orchestrator":"noop"}]}"""));
    assertThat(ok(user.get(DEFINITIONS + "/announce")).at("/inputSchema/required/0").asText())
        .isEqualTo("topic");
    JsonNode published = created(post(admin, DEFINITIONS, branchy));
    assertThat(published.path("version").asInt()).isEqualTo(1);
    assertThat(created(post(admin, DEFINITIONS, branchy)).path("version").asInt()).isEqualTo(2);

    JsonNode page = ok(admin.get(DEFINITIONS + "?limit=2"));
    assertThat(page.path("next").isTextual()).isTrue();
    JsonNode last = ok(admin.get(DEFINITIONS + "?limit=2&cursor=" + page.path("next").asText()));
    assertThat(last.path("next").isNull()).isTrue();
    JsonNode definition = ok(user.get(DEFINITIONS + "/branchy"));
    assertThat(definition.path("activities").get(3).path("join").asText()).isEqualTo("all");
    assertThat(
            definition.path("activities").get(0).path("next").get(1).path("otherwise").asBoolean())
        .isTrue();
    assertThat(
            ok(admin.get(DEFINITIONS + "/greet")).path("activities").get(0).path("next").isNull())
        .isTrue();
    ok(admin.get(DEFINITIONS + "/branchy?version=1"));
    assertThat(ok(user.get(DEFINITIONS + "/branchy/versions?limit=1")).path("next").isTextual())
        .isTrue();

    problem(400, "invalid-request", admin.get(DEFINITIONS + "?limit=0"));
    problem(400, "invalid-request", admin.get(DEFINITIONS + "?cursor=x"));
    problem(400, "invalid-request", admin.get(DEFINITIONS + "/branchy?version=0"));
    problem(404, "definition-not-found", admin.get(DEFINITIONS + "/branchy?version=9"));
    problem(404, "definition-not-found", admin.get(DEFINITIONS + "/nothing"));
    problem(404, "definition-not-found", admin.get(DEFINITIONS + "/nothing/versions"));
    problem(400, "invalid-request", admin.get(DEFINITIONS + "/branchy/versions?limit=501"));
    JsonNode invalid =
        problem(
            422,
            "invalid-definition",
            admin.postJson(
                DEFINITIONS,
                "{\"id\":\"bad\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\","
                    + "\"next\":[\"nowhere\"]}]}"));
    assertThat(invalid.path("errors").get(0).path("pointer").asText())
        .isEqualTo("/activities/0/next/0");
    problem(400, "malformed-json", admin.postJson(DEFINITIONS, "{\"id\":"));
    problem(400, "invalid-request", admin.postJson(DEFINITIONS, "[]"));
    problem(415, "unsupported-media-type", admin.post(DEFINITIONS, "{}"));
    problem(422, "unstorable-json", admin.postJson(DEFINITIONS, "{\"id\":\"\\u0000\"}"));
    problem(403, "forbidden", operator.postJson(DEFINITIONS, branchy));
  }

  private void agents() {
    String writer =
        """
        {"id":"writer","name":"Letter writer","persona":"You write friendly business letters.",
         "instructions":"Keep it under 120 words.","model":"gpt-4o-mini",
         "tools":["current_time"],"orchestrator":"llm-action"}""";
    created(post(admin, AGENTS, writer));
    ok(post(admin, AGENTS, writer));
    JsonNode critic = created(post(admin, AGENTS, "{\"id\":\"critic\",\"name\":\"Critic\"}"));
    assertThat(critic.path("model").isNull()).isTrue();
    assertThat(ok(operator.get(AGENTS + "?limit=1")).path("next").isTextual()).isTrue();
    ok(operator.get(AGENTS + "/writer"));

    problem(404, "agent-not-found", operator.get(AGENTS + "/nobody"));
    problem(400, "invalid-request", operator.get(AGENTS + "?limit=x"));
    problem(
        422,
        "invalid-agent",
        admin.postJson(AGENTS, "{\"id\":\"x\",\"name\":\"X\",\"tools\":[\"a\",\"\"]}"));
    problem(403, "forbidden", user.get(AGENTS));
  }

  private void audit() {
    JsonNode page = ok(admin.get(AUDIT + "?limit=1"));
    assertThat(page.path("entries")).hasSize(1);
    assertThat(page.path("next").isTextual())
        .as("agents() and definitions() left entries")
        .isTrue();
    ok(admin.get(AUDIT + "?cursor=" + page.path("next").asText()));
    problem(400, "invalid-request", admin.get(AUDIT + "?cursor=nope"));
    problem(403, "forbidden", operator.get(AUDIT));
  }

  private void mcpServers() {
    String tools =
        "{\"name\":\"tools\",\"url\":\"http://127.0.0.1:9/mcp\","
            + "\"headers\":{\"Authorization\":\"Bearer ${TOOLS_TOKEN}\"}}";
    created(post(admin, MCP_SERVERS, tools));
    problem(409, "mcp-server-exists", admin.postJson(MCP_SERVERS, tools));
    problem(
        422,
        "invalid-mcp-server",
        admin.postJson(MCP_SERVERS, "{\"name\":\"files\",\"command\":\"sh\"}"));
    problem(422, "unstorable-json", admin.postJson(MCP_SERVERS, "{\"name\":\"\\u0000\"}"));
    JsonNode page = ok(admin.get(MCP_SERVERS + "?limit=1"));
    assertThat(page.path("servers")).hasSize(1);
    ok(admin.get(MCP_SERVERS + "/tools"));
    problem(404, "mcp-server-not-found", admin.get(MCP_SERVERS + "/nothing"));
    ok(patch(MCP_SERVERS + "/tools", "{\"enabled\":false}"));
    problem(
        422,
        "invalid-mcp-server",
        admin.sendJson("PATCH", MCP_SERVERS + "/tools", "{\"url\":\"http://10.0.0.1/mcp\"}"));
    problem(404, "mcp-server-not-found", admin.sendJson("PATCH", MCP_SERVERS + "/none", "{}"));
    expect(204, admin.delete(MCP_SERVERS + "/tools"));
    problem(404, "mcp-server-not-found", admin.delete(MCP_SERVERS + "/tools"));
    problem(403, "forbidden", operator.get(MCP_SERVERS));
  }

  private void secrets() {
    created(put(SECRETS + "/TOOLS_TOKEN", "{\"value\":\"s3cret\"}"));
    ok(put(SECRETS + "/TOOLS_TOKEN", "{\"value\":\"s3cret-2\"}"));
    problem(
        400, "invalid-request", admin.sendJson("PUT", SECRETS + "/9lives", "{\"value\":\"v\"}"));
    problem(400, "invalid-request", admin.sendJson("PUT", SECRETS + "/A", "{\"value\":\"\"}"));
    JsonNode page = ok(admin.get(SECRETS));
    assertThat(page.toString()).doesNotContain("s3cret");
    expect(204, admin.delete(SECRETS + "/TOOLS_TOKEN"));
    problem(404, "secret-not-found", admin.delete(SECRETS + "/TOOLS_TOKEN"));
    problem(403, "forbidden", operator.get(SECRETS));
  }

  private void a2aServer() {
    created(
        post(
            admin,
            DEFINITIONS,
            """
            {"id":"agent","a2a":{"description":"Greets.","skills":[{"id":"greet","name":"Greet",
              "description":"Says hello."}]},"activities":[{"id":"a","orchestrator":"noop"}]}"""));
    JsonNode card = ok(anonymous.get("/a2a/default/agent/.well-known/agent-card.json"));
    assertThat(card.path("url").asText()).endsWith("/a2a/default/agent");
    problem(
        404,
        "a2a-agent-not-found",
        anonymous.get("/a2a/default/greet/.well-known/agent-card.json"));
    JsonNode unknown =
        ok(
            user.postJson(
                "/a2a/default/agent",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tasks/get\",\"params\":{\"id\":\"x\"}}"));
    assertThat(unknown.at("/error/code").asInt()).isEqualTo(-32001);
    problem(404, "a2a-agent-not-found", user.postJson("/a2a/other/agent", PING));
  }

  private void webhooks() {
    start();
    ClaimedTask claimed = engine.queue().claim("pod", LEASE, 1).getFirst();
    String token = WakeTokens.mint();
    engine.suspensions().pollLater(claimed.task(), Json.object(), Duration.ofHours(1), token);
    String path = "/webhooks/a2a/" + claimed.task().id();
    expect(204, anonymous.post(path, "{}", "X-A2A-Notification-Token", token));
    problem(
        404,
        "webhook-not-found",
        anonymous.post(path, "{}", "X-A2A-Notification-Token", WakeTokens.mint()));
    problem(404, "webhook-not-found", anonymous.post(path, "{}"));
    problem(400, "invalid-request", anonymous.post("/webhooks/a2a/x", "{}"));
  }

  private void mcp() {
    JsonNode pong = ok(post(user, McpEndpoint.PATH, PING));
    assertThat(pong.path("id").asInt()).isEqualTo(1);
    expect(
        202,
        post(
            user,
            McpEndpoint.PATH,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    problem(400, "invalid-request", user.postJson(McpEndpoint.PATH, "{\"hello\":1}"));
  }

  /** PATCHes a body that must be valid by the document's request schema. */
  private HttpResponse<String> patch(String path, String body) {
    contract.checkRequest("PATCH", path, body);
    return admin.sendJson("PATCH", path, body);
  }

  /** PUTs a body that must be valid by the document's request schema. */
  private HttpResponse<String> put(String path, String body) {
    contract.checkRequest("PUT", path, body);
    return admin.sendJson("PUT", path, body);
  }

  private void processes() {
    String order = "{\"definitionId\":\"greet\",\"input\":{\"customer\":\"ACME\"}}";
    JsonNode started = created(post(user, PROCESSES, order, "Idempotency-Key", "order-4711"));
    String id = started.path("id").asText();
    assertThat(
            ok(post(user, PROCESSES, order, "Idempotency-Key", "order-4711")).path("id").asText())
        .isEqualTo(id);
    problem(
        409,
        "idempotency-key-reused",
        user.postJson(
            PROCESSES,
            "{\"definitionId\":\"greet\",\"input\":{\"customer\":\"Other\"}}",
            "Idempotency-Key",
            "order-4711"));
    problem(422, "unknown-definition", user.postJson(PROCESSES, "{\"definitionId\":\"nothing\"}"));
    JsonNode misfit =
        problem(
            422,
            "invalid-process-input",
            user.postJson(PROCESSES, "{\"definitionId\":\"announce\",\"input\":{\"topic\":1}}"));
    assertThat(misfit.path("errors").get(0).path("pointer").asText()).isEqualTo("/input/topic");
    problem(
        400, "invalid-request", user.postJson(PROCESSES, "{\"definitionId\":\"greet\",\"by\":1}"));
    problem(
        400,
        "invalid-request",
        user.postJson(PROCESSES, order, "Idempotency-Key", "k".repeat(201)));
    runToTheEnd();

    JsonNode finished = ok(user.get(PROCESSES + "/" + id));
    assertThat(finished.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(finished.path("output").isObject()).isTrue();
    assertThat(finished.path("tasks").get(0).path("claimedBy").asText()).isEqualTo("pod-a");
    created(post(admin, PROCESSES, "{\"definitionId\":\"greet\"}"));

    assertThat(ok(user.get(PROCESSES)).path("processes")).hasSize(1);
    ok(
        admin.get(
            PROCESSES
                + "?status=COMPLETED&definitionId=greet&initiator=ada"
                + "&createdAfter=2000-01-01T00:00:00Z&createdBefore=2999-01-01T00:00:00Z"));
    JsonNode page = ok(admin.get(PROCESSES + "?limit=1"));
    assertThat(page.path("next").isTextual()).isTrue();
    ok(admin.get(PROCESSES + "?limit=1&cursor=" + page.path("next").asText()));

    problem(400, "invalid-request", admin.get(PROCESSES + "?status=DONE"));
    problem(400, "invalid-request", admin.get(PROCESSES + "?createdAfter=yesterday"));
    problem(400, "invalid-request", admin.get(PROCESSES + "?definitionId="));
    problem(403, "forbidden", user.get(PROCESSES + "?initiator=bob"));
    problem(404, "process-not-found", admin.get(PROCESSES + "/" + UNKNOWN_PROCESS));
    problem(400, "invalid-request", admin.get(PROCESSES + "/abc"));
  }

  private void cancelAndRetry() {
    String running = start();
    JsonNode cancelled = ok(operator.post(cancelPath(running), ""));
    assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
    problem(409, "process-not-cancellable", operator.postJson(cancelPath(running), "{}"));
    problem(404, "process-not-found", operator.post(cancelPath(UNKNOWN_PROCESS), ""));
    problem(400, "invalid-request", operator.postJson(cancelPath(running), "{\"force\":true}"));
    problem(415, "unsupported-media-type", operator.post(cancelPath(running), "{}"));
    problem(422, "unstorable-json", operator.postJson(cancelPath(running), "{\"\\u0000\":1}"));
    problem(403, "forbidden", user.post(cancelPath(running), ""));

    String failing = start();
    ClaimedTask claimed = claimTaskOf(failing);
    assertThat(engine.failures().fail(claimed.task(), "broken for good", false, null))
        .isEqualTo(TaskOutcome.DEAD);
    contract.checkRequest("POST", retryPath(failing), "{}");
    JsonNode retried = ok(operator.postJson(retryPath(failing), "{}"));
    assertThat(retried.path("status").asText()).isEqualTo("RUNNING");
    problem(409, "process-not-retryable", operator.post(retryPath(failing), ""));
    problem(404, "process-not-found", operator.post(retryPath(UNKNOWN_PROCESS), ""));
    problem(400, "invalid-request", operator.post(retryPath("abc"), ""));
    problem(400, "malformed-json", operator.postJson(retryPath(failing), "{"));
  }

  private void events() {
    String id = created(post(user, PROCESSES, "{\"definitionId\":\"greet\"}")).path("id").asText();
    runToTheEnd();
    String events = PROCESSES + "/" + id + "/events";
    JsonNode page = ok(user.get(events));
    assertThat(page.path("events").size()).isGreaterThan(3);
    long first = page.path("events").get(0).path("id").asLong();
    assertThat(ok(user.get(events + "?after=" + first + "&limit=2")).path("events")).hasSize(2);

    HttpResponse<String> stream = user.get(events, "Accept", "text/event-stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("event: process_completed").contains("data: {");
    contract.check(stream);

    problem(400, "invalid-request", user.get(events + "?limit=1001"));
    problem(400, "invalid-request", user.get(events + "?after=-1"));
    problem(
        400,
        "invalid-request",
        user.get(events, "Accept", "text/event-stream", "Last-Event-ID", "x"));
    problem(404, "process-not-found", user.get(PROCESSES + "/" + UNKNOWN_PROCESS + "/events"));
    problem(
        404,
        "process-not-found",
        user.get(PROCESSES + "/" + UNKNOWN_PROCESS + "/events", "Accept", "text/event-stream"));
  }

  private void tasks() {
    String process =
        created(post(admin, PROCESSES, "{\"definitionId\":\"review\"}")).path("id").asText();
    ClaimedTask claimed = claimTaskOf(process);
    assertThat(engine.suspensions().park(claimed.task(), "ada", Json.parse(FORM)))
        .isEqualTo(TaskOutcome.WAITING);
    long id = claimed.task().id();

    JsonNode inbox = ok(user.get(TASKS + "?status=WAITING"));
    assertThat(inbox.path("tasks").get(0).path("id").asLong()).isEqualTo(id);
    assertThat(inbox.path("tasks").get(0).path("waitingFor").asText()).isEqualTo("PERSON");
    ok(operator.get(TASKS + "?status=WAITING&assignee=ada&limit=1"));
    JsonNode waiting = ok(admin.get(PROCESSES + "/" + process));
    assertThat(waiting.path("tasks").get(0).path("waitingFor").asText()).isEqualTo("PERSON");

    problem(400, "invalid-request", user.get(TASKS));
    problem(400, "invalid-request", user.get(TASKS + "?status=WAITING&after=1"));
    problem(403, "forbidden", user.get(TASKS + "?status=WAITING&assignee=bob"));
    String complete = TASKS + "/" + id + "/complete";
    JsonNode broken =
        problem(
            422, "invalid-task-output", user.postJson(complete, "{\"output\":{\"approved\":1}}"));
    assertThat(broken.path("errors").get(0).path("pointer").asText()).startsWith("/output");
    problem(400, "invalid-request", user.postJson(complete, "{\"output\":[1]}"));
    JsonNode done = ok(post(user, complete, "{\"output\":{\"approved\":true,\"note\":\"fine\"}}"));
    assertThat(done.path("status").asText()).isEqualTo("DONE");
    problem(409, "task-not-waiting", user.postJson(complete, "{\"output\":{\"approved\":true}}"));
    problem(404, "task-not-found", user.postJson(TASKS + "/987654/complete", "{\"output\":{}}"));
    problem(400, "invalid-request", user.postJson(TASKS + "/abc/complete", "{\"output\":{}}"));
  }

  /** After agents() (writer) and tasks() (a DONE task of a step that runs no agent). */
  private void memories() {
    String review =
        ok(admin.get(PROCESSES + "?definitionId=review"))
            .path("processes")
            .get(0)
            .path("id")
            .asText();
    long task = ok(admin.get(PROCESSES + "/" + review)).path("tasks").get(0).path("id").asLong();
    String feedback = TASKS + "/" + task + "/feedback";
    JsonNode rated = created(post(user, feedback, "{\"rating\":4}"));
    assertThat(rated.path("memoryId").isNull()).isTrue();
    problem(422, "invalid-feedback", user.postJson(feedback, "{\"rating\":9}"));
    problem(
        422,
        "invalid-feedback",
        user.postJson(feedback, "{\"rating\":2,\"correction\":\"Say thanks.\"}"));
    problem(422, "unstorable-json", user.postJson(feedback, "{\"rating\":2,\"x\":\"\\u0000\"}"));
    problem(400, "malformed-json", user.postJson(feedback, "{"));
    problem(404, "task-not-found", user.postJson(TASKS + "/987654/feedback", "{\"rating\":1}"));

    String knowledge = AGENTS + "/writer/knowledge";
    JsonNode taught = created(post(admin, knowledge, "{\"text\":\"Sign letters as ACME.\"}"));
    assertThat(taught.path("embedded").asBoolean()).isFalse();
    created(post(admin, knowledge, "{\"text\":\"Customers are addressed formally.\"}"));
    problem(422, "invalid-memory", admin.postJson(knowledge, "{\"text\":\" \"}"));
    problem(
        404, "agent-not-found", admin.postJson(AGENTS + "/nobody/knowledge", "{\"text\":\"x\"}"));

    String memories = AGENTS + "/writer/memories";
    JsonNode page = ok(user.get(memories + "?limit=1"));
    assertThat(page.path("memories")).hasSize(1);
    ok(user.get(memories + "?cursor=" + page.path("next").asText()));
    problem(400, "invalid-request", user.get(memories + "?limit=0"));
    problem(400, "invalid-request", user.get(memories + "?query=x&limit=5"));
    problem(404, "agent-not-found", user.get(AGENTS + "/nobody/memories"));

    String memory = memories + "/" + taught.path("id").asLong();
    JsonNode promoted = ok(operator.post(memory + "/promote", ""));
    assertThat(promoted.path("userId").isNull()).isTrue();
    problem(404, "memory-not-found", operator.post(memories + "/987654/promote", ""));
    problem(400, "invalid-request", operator.post(memories + "/abc/promote", ""));
    problem(404, "memory-not-found", user.delete(memory));
    expect(204, operator.delete(memory));
    problem(404, "memory-not-found", operator.delete(memory));
    problem(400, "invalid-request", operator.delete(memories + "/abc"));
  }

  /** After agents() (writer). */
  private void documents() {
    JsonNode queued =
        expect(
            202,
            post(
                admin,
                DOCUMENTS,
                "{\"title\":\"Refunds\",\"text\":\"# Refunds\\n\\nWithin five days.\","
                    + "\"mediaType\":\"text/markdown\",\"agentId\":\"writer\"}"));
    assertThat(queued.path("status").asText()).isEqualTo("QUEUED");
    expect(202, post(admin, DOCUMENTS, "{\"title\":\"Tone\",\"text\":\"Be kind.\"}"));
    problem(422, "invalid-document", admin.postJson(DOCUMENTS, "{\"title\":\"t\"}"));
    problem(
        422,
        "invalid-document",
        admin.postJson(DOCUMENTS, "{\"title\":\"t\",\"text\":\"t\",\"agentId\":\"nobody\"}"));
    problem(
        422,
        "unstorable-json",
        admin.postJson(DOCUMENTS, "{\"title\":\"t\",\"text\":\"\\u0000\"}"));
    problem(400, "malformed-json", admin.postJson(DOCUMENTS, "{"));

    JsonNode page = ok(operator.get(DOCUMENTS + "?limit=1"));
    assertThat(page.path("documents")).hasSize(1);
    ok(operator.get(DOCUMENTS + "?cursor=" + page.path("next").asText()));
    problem(400, "invalid-request", operator.get(DOCUMENTS + "?limit=0"));

    String document = DOCUMENTS + "/" + queued.path("id").asLong();
    assertThat(ok(operator.get(document)).path("agentId").asText()).isEqualTo("writer");
    problem(404, "document-not-found", operator.get(DOCUMENTS + "/987654"));
    problem(400, "invalid-request", operator.get(DOCUMENTS + "/abc"));
    expect(204, admin.delete(document));
    problem(404, "document-not-found", admin.delete(document));
    problem(400, "invalid-request", admin.delete(DOCUMENTS + "/abc"));
  }

  private void users() {
    JsonNode me = ok(user.get("/api/v1/me"));
    assertThat(me.path("user").asText()).isEqualTo("ada");
    assertThat(me.path("role").asText()).isEqualTo("user");
    assertThat(ok(admin.get("/api/v1/me")).path("user").isNull()).isTrue();
    problem(401, "unauthenticated", anonymous.get("/api/v1/me"));
    assertThat(ok(user.get(ADA)).path("roles").toString()).isEqualTo("[\"user\"]");
    ok(put(ADA, "{\"email\":\"ada@example.com\",\"displayName\":\"Ada\"}"));
    problem(422, "invalid-user", admin.sendJson("PUT", ADA, "{\"email\":\"nope\"}"));
    problem(404, "user-not-found", user.get("/api/v1/users/bob"));
    problem(404, "user-not-found", admin.sendJson("PUT", "/api/v1/users/bob", "{}"));

    String devices = ADA + "/devices";
    String phone = "{\"token\":\"tok-of-adas-phone\",\"platform\":\"android\"}";
    assertThat(created(post(user, devices, phone)).path("tokenEnd").asText()).isEqualTo("as-phone");
    ok(post(user, devices, phone));
    problem(422, "invalid-device", user.postJson(devices, "{\"token\":\"t\"}"));
    assertThat(ok(user.get(devices)).path("devices")).hasSize(1);
    problem(404, "user-not-found", user.get("/api/v1/users/bob/devices"));
    expect(204, user.delete(devices + "/as-phone"));
    problem(404, "device-not-found", user.delete(devices + "/as-phone"));

    String notifications = ADA + "/notifications";
    long id =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "INSERT INTO notifications (tenant_id, recipient, type, title, payload)"
                                + " VALUES ('default', 'ada', 'task_assigned', 'Review', '{}')"
                                + " RETURNING id")
                        .mapTo(Long.class)
                        .one());
    JsonNode unread = ok(user.get(notifications + "?unread=true&limit=1"));
    assertThat(unread.path("notifications").get(0).path("id").asLong()).isEqualTo(id);
    problem(400, "invalid-request", user.get(notifications + "?unread=1"));
    assertThat(ok(user.post(notifications + "/" + id + "/read", "")).path("read").asBoolean())
        .isTrue();
    problem(404, "notification-not-found", user.post(notifications + "/987654/read", ""));
  }

  private void streamTokens() {
    String token = created(user.post(StreamTokenRoutes.PATH, "")).path("token").asText();
    problem(401, "unauthenticated", anonymous.post(StreamTokenRoutes.PATH, ""));
    problem(
        401,
        "unauthenticated",
        anonymous.post(StreamTokenRoutes.PATH + "?streamToken=" + token, ""));
    String stream = ADA + "/notifications?streamToken=";
    problem(401, "unauthenticated", anonymous.get(stream + "x", "Accept", "text/event-stream"));
    problem(401, "unauthenticated", anonymous.get(stream + token));
  }

  private void openRoutes() {
    for (String path : List.of("/healthz", "/readyz", "/metrics", OpenApiRoute.PATH)) {
      HttpResponse<String> response = anonymous.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      contract.check(response);
      problem(400, "invalid-request", anonymous.get(path + "?x=%00"));
    }
  }

  private void transportLimits() throws IOException {
    problem(414, "uri-too-long", admin.get(PROCESSES + "?initiator=" + "a".repeat(20_000)));
    problem(
        431,
        "request-headers-too-large",
        admin.get(TASKS + "?status=WAITING", "X-Padding", "x".repeat(20_000)));
    byte[] huge =
        ("{\"definitionId\":\"greet\",\"input\":{\"s\":\"" + "x".repeat(1_100_000) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    problem(
        413,
        "request-too-large",
        admin.send(
            admin
                .request(PROCESSES)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge)))));
    String path = AGENTS + "/%zz";
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String head = text.substring(0, text.indexOf("\r\n\r\n"));
      String contentType =
          head.lines()
              .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-type:"))
              .map(line -> line.substring("content-type:".length()).trim())
              .findFirst()
              .orElse(null);
      int status = Integer.parseInt(head.substring(9, 12));
      JsonNode problem =
          contract.check("GET", path, status, contentType, text.substring(head.length() + 4));
      assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + "bad-http-request");
    }
  }

  // --- helpers ---

  private List<String> apiOperations() {
    return contract.operations().stream()
        .filter(
            operation ->
                operation.contains(" /api/")
                    || operation.endsWith(McpEndpoint.PATH)
                    || operation.equals("POST " + A2aServerRoutes.ENDPOINT))
        .filter(operation -> !operation.equals("GET " + OpenApiRoute.PATH))
        .toList();
  }

  private static HttpResponse<String> call(ApiClient client, String[] sample) {
    return switch (sample[0]) {
      case "GET" -> client.get(sample[1]);
      case "DELETE" -> client.delete(sample[1]);
      default -> client.sendJson(sample[0], sample[1], sample[2] == null ? "{}" : sample[2]);
    };
  }

  /** POSTs a body that must be valid by the document's request schema. */
  private HttpResponse<String> post(ApiClient client, String path, String body, String... headers) {
    contract.checkRequest("POST", path, body);
    return client.postJson(path, body, headers);
  }

  private JsonNode ok(HttpResponse<String> response) {
    return expect(200, response);
  }

  private JsonNode created(HttpResponse<String> response) {
    return expect(201, response);
  }

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return contract.check(response);
  }

  private JsonNode problem(int status, String slug, HttpResponse<String> response) {
    JsonNode problem = expect(status, response);
    assertThat(problem.path("type").asText())
        .as("%s %s", response.request().method(), response.uri())
        .isEqualTo(ProblemType.BASE + slug);
    return problem;
  }

  private String start() {
    return created(post(admin, PROCESSES, "{\"definitionId\":\"greet\",\"input\":{}}"))
        .path("id")
        .asText();
  }

  /** Claims tasks until one of {@code process} is among them. */
  private ClaimedTask claimTaskOf(String process) {
    UUID id = UUID.fromString(process);
    for (int i = 0; i < 20; i++) {
      Optional<ClaimedTask> next = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst();
      assertThat(next).as("a task of %s to claim", process).isPresent();
      if (next.get().task().procInstId().equals(id)) return next.get();
    }
    throw new AssertionError("no task of " + process + " among the first 20 claimed");
  }

  /** Claims and completes tasks until none is left to claim. */
  private void runToTheEnd() {
    for (var next = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst();
        next.isPresent();
        next = engine.queue().claim("pod-a", LEASE, 1).stream().findFirst()) {
      engine.completions().complete(next.get().task(), Json.object().put("by", "pod-a"));
    }
  }

  private static String cancelPath(String id) {
    return PROCESSES + "/" + id + "/cancel";
  }

  private static String retryPath(String id) {
    return PROCESSES + "/" + id + "/retry";
  }
}
