package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PodflowDatabaseExtension.class)
class DefinitionRoutesTest {
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
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void publishingTheSameIdAgainCreatesTheNextVersion() {
    HttpResponse<String> first =
        client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(json(first).path("id").asText()).isEqualTo("greet");
    assertThat(json(first).path("version").asInt()).isEqualTo(1);
    assertThat(first.headers().firstValue("Location"))
        .hasValue("/api/v1/definitions/greet?version=1");

    ObjectNode changed = Definitions.linear("greet", "noop", "sleep").put("name", "Greet twice");
    ((ObjectNode) changed.withArray("activities").get(1).get("config")).put("ms", 5);
    HttpResponse<String> second = client.postJson("/api/v1/definitions", changed);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(json(second).path("version").asInt()).isEqualTo(2);

    JsonNode latest = json(client.get("/api/v1/definitions/greet"));
    assertThat(latest.path("id").asText()).isEqualTo("greet");
    assertThat(latest.path("version").asInt()).isEqualTo(2);
    assertThat(latest.path("name").asText()).isEqualTo("Greet twice");
    assertThat(latest.path("activities")).hasSize(2);
    assertThat(latest.path("activities").get(1).path("orchestrator").asText()).isEqualTo("sleep");
    assertThat(latest.path("createdAt").asText()).isNotBlank();

    HttpResponse<String> v1 = client.get("/api/v1/definitions/greet?version=1");
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(json(v1).path("version").asInt()).isEqualTo(1);
    assertThat(json(v1).path("activities")).hasSize(1);
    assertThat(json(v1).path("activities").get(0).path("id").asText()).isEqualTo("a1");
  }

  @Test
  void anInvalidDefinitionIs422WithAPointerPerViolationAndWritesNothing() {
    String body =
        """
        {"id": "bad id!", "activities": [{"id": "a", "orchestrator": "noop", "next": ["nowhere"]},
                                          {"orchestrator": "noop", "colour": "red"}]}
        """;
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(client.postJson("/api/v1/definitions", body), 422, "invalid-definition");

    assertThat(problem.path("errors").isArray()).isTrue();
    assertThat(problem.path("errors").findValuesAsText("pointer"))
        .contains("/id", "/activities/1/id", "/activities/1/colour");
    problem.path("errors").forEach(e -> assertThat(e.path("detail").asText()).isNotBlank());
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void anOrchestratorNoPlugInProvidesIs422WithTheKnownNamesAndWritesNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/definitions", Definitions.linear("typo", "noop", "nooop")),
            422,
            "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/1/orchestrator: names unknown orchestrator 'nooop'; known: [a2a,"
                + " deep-research, fail, human, llm-action, mcp, noop, sleep, subprocess]");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void unknownDefinitionOrVersionIs404() {
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));

    assertProblem(client.get("/api/v1/definitions/nope"), 404, "definition-not-found");
    assertProblem(client.get("/api/v1/definitions/greet?version=7"), 404, "definition-not-found");
  }

  @Test
  void aVersionThatIsNotAPositiveNumberIs400() {
    client.postJson("/api/v1/definitions", Definitions.linear("greet", "noop"));

    assertProblem(client.get("/api/v1/definitions/greet?version=abc"), 400, "invalid-request");
    assertProblem(client.get("/api/v1/definitions/greet?version=0"), 400, "invalid-request");
  }

  @Test
  void malformedOrNonObjectBodiesAre400AndWriteNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode malformed =
        assertProblem(
            client.postJson("/api/v1/definitions", "{\"id\": \"greet\", "), 400, "malformed-json");
    assertThat(malformed.path("detail").asText())
        .doesNotContain("Exception")
        .doesNotContain("at dev.");
    assertThat(
            assertProblem(client.postJson("/api/v1/definitions", "{} {}"), 400, "malformed-json")
                .path("detail")
                .asText())
        .contains("more than one JSON value");
    assertProblem(client.postJson("/api/v1/definitions", "{} x"), 400, "malformed-json");
    assertProblem(
        client.postJson("/api/v1/definitions", "{\"id\": \"a\", \"id\": \"b\"}"),
        400,
        "malformed-json");
    assertProblem(client.postJson("/api/v1/definitions", "[1, 2]"), 400, "invalid-request");
    assertProblem(client.postJson("/api/v1/definitions", "\"greet\""), 400, "invalid-request");
    assertProblem(client.postJson("/api/v1/definitions", ""), 400, "invalid-request");

    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aBodyWithoutAJsonContentTypeIs415AndWritesNothing() {
    String body = Definitions.linear("greet", "noop").toString();
    RowCounts before = RowCounts.of(db);

    assertProblem(client.post("/api/v1/definitions", body), 415, "unsupported-media-type");
    assertProblem(
        client.post("/api/v1/definitions", body, "Content-Type", "text/plain"),
        415,
        "unsupported-media-type");
    assertProblem(
        client.post("/api/v1/definitions", body, "Content-Type", "application/jsonx"),
        415,
        "unsupported-media-type");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void jsonContentTypesWithParametersAndSuffixesAreAccepted() {
    String body = Definitions.linear("greet", "noop").toString();

    assertThat(
            client
                .post(
                    "/api/v1/definitions", body, "Content-Type", "application/json; charset=utf-8")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            client
                .post("/api/v1/definitions", body, "Content-Type", "Application/vnd.podflow+json")
                .statusCode())
        .isEqualTo(201);
    assertThat(json(client.get("/api/v1/definitions/greet")).path("version").asInt()).isEqualTo(2);
  }

  /** The errors of a 422 invalid-definition answer as "pointer: detail" lines. */
  private static List<String> errors(JsonNode problem) {
    List<String> errors = new ArrayList<>();
    problem
        .path("errors")
        .forEach(e -> errors.add(e.path("pointer").asText() + ": " + e.path("detail").asText()));
    return errors;
  }

  private void createAgent(String id) {
    assertThat(
            client
                .postJson("/api/v1/agents", Json.object().put("id", id).put("name", "Agent " + id))
                .statusCode())
        .isEqualTo(201);
  }

  private static final String USES_THE_DATABASE =
      """
      {"id": "research", "activities": [
        {"id": "draft", "orchestrator": "llm-action",
         "config": {"agent": "writer", "prompt": "Draft {{input.topic}}"},
         "next": [{"to": "dig", "when": "output.text != null"}, {"to": "archive", "otherwise": true}]},
        {"id": "dig", "orchestrator": "deep-research",
         "config": {"prompt": "Check {{steps.draft.output.text}}",
                    "agents": {"planner": "planner", "writer": "writer"}}},
        {"id": "child", "orchestrator": "subprocess", "config": {"definition": "filing"}},
        {"id": "pinned", "orchestrator": "subprocess", "config": {"definition": "filing", "version": 2}},
        {"id": "nap", "orchestrator": "sleep", "config": {"ms": 10}},
        {"id": "archive", "orchestrator": "noop", "join": "all"}]}""";

  @Test
  void namesThatAreNotInTheDatabaseAre422WithPointersAndWriteNothing() {
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/definitions", USES_THE_DATABASE), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/0/config/agent: names unknown agent 'writer'; create it with POST"
                + " /api/v1/agents",
            "/activities/1/config/agents/planner: names unknown agent 'planner'; create it with"
                + " POST /api/v1/agents",
            "/activities/1/config/agents/writer: names unknown agent 'writer'; create it with POST"
                + " /api/v1/agents",
            "/activities/2/config/definition: names unknown process definition 'filing'; publish"
                + " it first with POST /api/v1/definitions",
            "/activities/3/config/definition: names unknown process definition 'filing'; publish"
                + " it first with POST /api/v1/definitions");
    assertThat(problem.path("detail").asText())
        .isEqualTo("the definition has 5 problems; each entry of errors points at one");
    assertThat(RowCounts.of(db)).isEqualTo(before);
    assertProblem(client.get("/api/v1/definitions/research"), 404, "definition-not-found");
  }

  @Test
  void anUnknownVersionOfAKnownDefinitionPointsAtTheVersion() {
    createAgent("writer");
    createAgent("planner");
    client.postJson("/api/v1/definitions", Definitions.linear("filing", "noop"));
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/definitions", USES_THE_DATABASE), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/3/config/version: process definition 'filing' has no version 2; the"
                + " latest is 1");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void onceAgentsAndSubProcessesExistTheUploadIsStoredAndReadBackInItsJsonForm() {
    createAgent("writer");
    createAgent("planner");
    client.postJson("/api/v1/definitions", Definitions.linear("filing", "noop"));
    client.postJson("/api/v1/definitions", Definitions.linear("filing", "noop", "noop"));

    HttpResponse<String> published = client.postJson("/api/v1/definitions", USES_THE_DATABASE);

    assertThat(published.statusCode()).isEqualTo(201);
    JsonNode stored = json(client.get("/api/v1/definitions/research"));
    JsonNode activities = stored.path("activities");
    assertThat(activities.get(0).path("next"))
        .isEqualTo(
            Json.parse(
                "[{\"to\":\"dig\",\"when\":\"output.text != null\"},"
                    + "{\"to\":\"archive\",\"otherwise\":true}]"));
    assertThat(activities.get(5).path("join").asText()).isEqualTo("all");
    assertThat(activities.get(4).has("join")).isFalse();
    // stored and read back through the catalog: equal to what the parser makes of the upload
    assertThat(
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover())
                .latest(StartCommand.DEFAULT_TENANT, "research")
                .definition())
        .isEqualTo(
            new DefinitionParser(OrchestratorRegistry.discover())
                .parse(Json.parse(USES_THE_DATABASE)));
  }

  @Test
  void sleepNeedsAUsableMsOnUpload() {
    RowCounts before = RowCounts.of(db);
    ObjectNode definition = Definitions.linear("naps", "sleep", "sleep", "sleep");
    ((ObjectNode) definition.withArray("activities").get(1).get("config")).put("ms", "soon");
    ((ObjectNode) definition.withArray("activities").get(2).get("config")).put("ms", 86_400_001L);

    JsonNode problem =
        assertProblem(
            client.postJson("/api/v1/definitions", definition), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/0/config/ms: is required: a whole number of milliseconds from 0 to"
                + " 86400000",
            "/activities/1/config/ms: must be a whole number of milliseconds from 0 to 86400000",
            "/activities/2/config/ms: must be a whole number of milliseconds from 0 to 86400000");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void subProcessesThatWouldStartEachOtherInACircleAreRejected() {
    client.postJson("/api/v1/definitions", Definitions.linear("a", "noop"));
    String startsA =
        """
        {"id": "b", "activities": [{"id": "run-a", "orchestrator": "subprocess",
                                    "config": {"definition": "a"}}]}""";
    assertThat(client.postJson("/api/v1/definitions", startsA).statusCode()).isEqualTo(201);
    String startsB =
        """
        {"id": "c", "activities": [{"id": "run-b", "orchestrator": "subprocess",
                                    "config": {"definition": "b"}}]}""";
    assertThat(client.postJson("/api/v1/definitions", startsB).statusCode()).isEqualTo(201);
    RowCounts before = RowCounts.of(db);

    String aStartsC =
        """
        {"id": "a", "activities": [{"id": "first", "orchestrator": "noop"},
                                   {"id": "run-c", "orchestrator": "subprocess",
                                    "config": {"definition": "c"}}]}""";
    JsonNode problem =
        assertProblem(client.postJson("/api/v1/definitions", aStartsC), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/1/config/definition: starts sub-processes that start this definition"
                + " again (a -> c -> b -> a); they would never end");
    assertThat(RowCounts.of(db)).isEqualTo(before);

    // pinned to the version that starts nothing, the chain ends: accepted
    String pinned =
        """
        {"id": "d", "activities": [{"id": "run-a1", "orchestrator": "subprocess",
                                    "config": {"definition": "a", "version": 1}}]}""";
    assertThat(client.postJson("/api/v1/definitions", pinned).statusCode()).isEqualTo(201);
    String aStartsD =
        """
        {"id": "a", "activities": [{"id": "run-d", "orchestrator": "subprocess",
                                    "config": {"definition": "d"}}]}""";
    assertThat(client.postJson("/api/v1/definitions", aStartsD).statusCode()).isEqualTo(201);
  }

  @Test
  void aBadConditionIs422WithItsPointerAndFeelsMessage() {
    String body =
        """
        {"id": "c", "activities": [
          {"id": "a", "orchestrator": "noop", "next": [{"to": "b", "when": "output.score >> 1"}]},
          {"id": "b", "orchestrator": "noop", "join": "all"}]}""";
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(client.postJson("/api/v1/definitions", body), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/0/next/0/when: is not a valid FEEL condition: Expected (binaryComparison"
                + " | between | instanceOf | in | \"and\" | \"or\" | end-of-input):1:14, found"
                + " \">> 1\"");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }

  @Test
  void aConditionReadingAStepTheDefinitionLacksIs422() {
    String body =
        """
        {"id": "c", "activities": [
          {"id": "draft-1", "orchestrator": "noop", "next": [
            {"to": "b", "when": "steps.`draft-1`.output.ok"},
            {"to": "c", "when": "steps.draft-1.output.ok"}]},
          {"id": "b", "orchestrator": "noop", "next": []},
          {"id": "c", "orchestrator": "noop"}]}""";
    RowCounts before = RowCounts.of(db);

    JsonNode problem =
        assertProblem(client.postJson("/api/v1/definitions", body), 422, "invalid-definition");

    assertThat(errors(problem))
        .containsExactly(
            "/activities/0/next/1/when: reads steps.draft, but the definition has no activity"
                + " 'draft'; known: [b, c, draft-1] (write ids that are not FEEL names in"
                + " backticks: steps.`draft-1`.output)");
    assertThat(RowCounts.of(db)).isEqualTo(before);
  }
}
