package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Database;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a caller may see of instances, tasks, definitions and agents: its own tenant's only, and as
 * a {@code user} the processes it started and the tasks assigned to it; everything else answers 404
 * as if it did not exist, and is missing from the lists. A definition or agent id names one of the
 * caller's tenant: another tenant's with that id is neither seen, nor started, nor named by an
 * upload, and the same id in two tenants is two definitions with their own versions.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class TenantVisibilityTest {
  private Database db;
  private ExecutionApi api;
  private Engine engine;
  private ApiClient annAtAcme;
  private ApiClient bobAtAcme;
  private ApiClient operatorAtAcme;
  private ApiClient annAtGlobex;
  private ApiClient operatorAtGlobex;
  private ApiClient adminAtAcme;
  private ApiClient adminAtGlobex;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    engine =
        new Engine(
            db.jdbi(),
            new DefinitionCatalog(db.jdbi(), OrchestratorRegistry.discover()),
            Notifier.inline(db.jdbi()));
    adminAtAcme = client("acme", Role.ADMIN, null);
    adminAtGlobex = client("globex", Role.ADMIN, null);
    for (ApiClient admin : List.of(adminAtAcme, adminAtGlobex)) {
      HttpResponse<String> published =
          admin.postJson(
              "/api/v1/definitions",
              """
              {"id":"review","activities":[
                {"id":"check","orchestrator":"human","config":{"assignee":"ann"}},
                {"id":"finish","orchestrator":"noop"}]}""");
      assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
      assertThat(json(published).path("version").asInt()).isEqualTo(1);
    }
    annAtAcme = client("acme", Role.USER, "ann");
    bobAtAcme = client("acme", Role.USER, "bob");
    operatorAtAcme = client("acme", Role.OPERATOR, null);
    annAtGlobex = client("globex", Role.USER, "ann");
    operatorAtGlobex = client("globex", Role.OPERATOR, null);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void anotherTenantsInstanceAnswers404ThroughEveryRoute() {
    String id = startedBy(annAtAcme);
    String process = "/api/v1/processes/" + id;
    for (ApiClient outsider : List.of(operatorAtGlobex, annAtGlobex)) {
      assertProblem(outsider.get(process), 404, "process-not-found");
      assertProblem(outsider.get(process + "/events"), 404, "process-not-found");
      assertProblem(
          outsider.get(process + "/events", "Accept", "text/event-stream"),
          404,
          "process-not-found");
    }
    assertProblem(operatorAtGlobex.post(process + "/cancel", ""), 404, "process-not-found");
    assertProblem(operatorAtGlobex.post(process + "/retry", ""), 404, "process-not-found");
    assertThat(status(id)).as("nothing changed").isEqualTo("RUNNING");

    assertThat(annAtAcme.get(process).statusCode()).isEqualTo(200);
    assertThat(annAtAcme.get(process + "/events").statusCode()).isEqualTo(200);
    assertThat(operatorAtAcme.get(process).statusCode()).isEqualTo(200);
    assertThat(operatorAtAcme.post(process + "/cancel", "").statusCode()).isEqualTo(200);
  }

  @Test
  void aUserSeesOnlyTheProcessesItStarted() {
    String id = startedBy(annAtAcme);
    assertProblem(bobAtAcme.get("/api/v1/processes/" + id), 404, "process-not-found");
    assertProblem(bobAtAcme.get("/api/v1/processes/" + id + "/events"), 404, "process-not-found");
  }

  @Test
  void theProcessListHoldsTheTenantsProcessesAndForAUserItsOwn() {
    String ann = startedBy(annAtAcme);
    String bob = startedBy(bobAtAcme);
    String operator = startedBy(operatorAtAcme);
    String globex = startedBy(annAtGlobex);

    assertThat(processIds(operatorAtAcme, "")).containsExactly(operator, bob, ann);
    assertThat(processIds(operatorAtAcme, "?initiator=ann")).containsExactly(ann);
    assertThat(processIds(operatorAtGlobex, "")).containsExactly(globex);
    assertThat(processIds(annAtAcme, "")).containsExactly(ann);
    assertThat(processIds(annAtAcme, "?initiator=ann")).containsExactly(ann);
    assertThat(processIds(bobAtAcme, "")).containsExactly(bob);
    assertThat(processIds(annAtGlobex, "")).containsExactly(globex);
    JsonNode denied =
        assertProblem(annAtAcme.get("/api/v1/processes?initiator=bob"), 403, "forbidden");
    assertThat(denied.path("detail").asText()).contains("initiator=ann");
  }

  @Test
  void theInboxAndAnswersStayWithinTheTenantAndTheAssignee() {
    long task = waitingTaskStartedBy(operatorAtAcme);

    assertThat(ids(annAtAcme.get("/api/v1/tasks?status=WAITING"))).containsExactly(task);
    assertThat(ids(operatorAtAcme.get("/api/v1/tasks?status=WAITING&assignee=ann")))
        .containsExactly(task);
    assertThat(ids(annAtGlobex.get("/api/v1/tasks?status=WAITING"))).isEmpty();
    assertThat(ids(operatorAtGlobex.get("/api/v1/tasks?status=WAITING"))).isEmpty();
    assertThat(ids(bobAtAcme.get("/api/v1/tasks?status=WAITING"))).isEmpty();
    assertProblem(bobAtAcme.get("/api/v1/tasks?status=WAITING&assignee=ann"), 403, "forbidden");

    String answer = "{\"output\":{\"ok\":true}}";
    String complete = "/api/v1/tasks/" + task + "/complete";
    assertProblem(annAtGlobex.postJson(complete, answer), 404, "task-not-found");
    assertProblem(operatorAtGlobex.postJson(complete, answer), 404, "task-not-found");
    assertProblem(bobAtAcme.postJson(complete, answer), 404, "task-not-found");
    assertThat(taskStatus(task)).as("nothing changed").isEqualTo("WAITING");

    HttpResponse<String> done = annAtAcme.postJson(complete, answer);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
  }

  @Test
  void anotherTenantsDefinitionIsNeitherSeenNorStarted() {
    created(adminAtGlobex.postJson("/api/v1/definitions", ONBOARD));
    created(adminAtGlobex.postJson("/api/v1/definitions", ONBOARD));
    String definition = "/api/v1/definitions/onboard";
    for (ApiClient outsider : List.of(operatorAtAcme, annAtAcme, adminAtAcme)) {
      assertProblem(outsider.get(definition), 404, "definition-not-found");
      assertProblem(outsider.get(definition + "?version=1"), 404, "definition-not-found");
      assertProblem(outsider.get(definition + "/versions"), 404, "definition-not-found");
      assertThat(ids(outsider.get("/api/v1/definitions"), "definitions")).containsExactly("review");
      JsonNode unknown =
          assertProblem(
              outsider.postJson("/api/v1/processes", "{\"definitionId\": \"onboard\"}"),
              422,
              "unknown-definition");
      JsonNode none =
          assertProblem(
              outsider.postJson("/api/v1/processes", "{\"definitionId\": \"nowhere\"}"),
              422,
              "unknown-definition");
      assertThat(unknown.path("detail").asText())
          .as("answered exactly as an id no tenant has")
          .isEqualTo(none.path("detail").asText().replace("nowhere", "onboard"));
    }
    assertThat(count("SELECT count(*) FROM bpm_proc_inst")).as("nothing started").isZero();

    assertThat(operatorAtGlobex.get(definition).statusCode()).isEqualTo(200);
    assertThat(ids(operatorAtGlobex.get("/api/v1/definitions"), "definitions"))
        .containsExactly("onboard", "review");
    assertThat(ids(operatorAtGlobex.get(definition + "/versions"), "versions"))
        .containsExactly("onboard", "onboard");
    created(annAtGlobex.postJson("/api/v1/processes", "{\"definitionId\": \"onboard\"}"));
  }

  @Test
  void anotherTenantsAgentIsNeitherSeenNorReplaced() {
    created(adminAtGlobex.postJson("/api/v1/agents", WRITER.formatted("Globex writer")));
    for (ApiClient outsider : List.of(operatorAtAcme, adminAtAcme)) {
      assertProblem(outsider.get("/api/v1/agents/writer"), 404, "agent-not-found");
      assertThat(ids(outsider.get("/api/v1/agents"), "agents")).isEmpty();
    }
    // The same id in acme is acme's own agent: created, not a replacement of globex's.
    created(adminAtAcme.postJson("/api/v1/agents", WRITER.formatted("Acme writer")));
    assertThat(json(operatorAtAcme.get("/api/v1/agents/writer")).path("name").asText())
        .isEqualTo("Acme writer");
    assertThat(json(operatorAtGlobex.get("/api/v1/agents/writer")).path("name").asText())
        .isEqualTo("Globex writer");
    assertThat(ids(operatorAtGlobex.get("/api/v1/agents"), "agents")).containsExactly("writer");
  }

  @Test
  void twoTenantsPublishTheSameIdWithVersionsOfTheirOwn() {
    String greet =
        """
        {"id":"greet","activities":[{"id":"hello","orchestrator":"noop"}]}""";
    assertThat(json(created(adminAtAcme.postJson("/api/v1/definitions", greet))).path("version"))
        .hasToString("1");
    assertThat(json(created(adminAtGlobex.postJson("/api/v1/definitions", greet))).path("version"))
        .hasToString("1");
    assertThat(json(created(adminAtGlobex.postJson("/api/v1/definitions", greet))).path("version"))
        .hasToString("2");
    assertThat(json(operatorAtAcme.get("/api/v1/definitions/greet")).path("version").asInt())
        .isEqualTo(1);
    assertThat(json(operatorAtGlobex.get("/api/v1/definitions/greet")).path("version").asInt())
        .isEqualTo(2);
    assertThat(json(created(adminAtAcme.postJson("/api/v1/definitions", greet))).path("version"))
        .as("acme's next version follows acme's own")
        .hasToString("2");
  }

  @Test
  void anUploadMayNameOnlyItsOwnTenantsAgentsAndDefinitions() {
    created(adminAtGlobex.postJson("/api/v1/agents", WRITER.formatted("Globex writer")));
    created(adminAtGlobex.postJson("/api/v1/definitions", ONBOARD));
    String usesWriter =
        """
        {"id":"letters","activities":[
          {"id":"write","orchestrator":"llm-action",
           "config":{"agent":"writer","prompt":"Write to {{input.name}}"}}]}""";
    String usesOnboard =
        """
        {"id":"outer","activities":[
          {"id":"inner","orchestrator":"subprocess","config":{"definition":"onboard"}}]}""";

    JsonNode agentRefused =
        assertProblem(
            adminAtAcme.postJson("/api/v1/definitions", usesWriter), 422, "invalid-definition");
    assertThat(agentRefused.path("errors").findValuesAsText("pointer"))
        .containsExactly("/activities/0/config/agent");
    JsonNode definitionRefused =
        assertProblem(
            adminAtAcme.postJson("/api/v1/definitions", usesOnboard), 422, "invalid-definition");
    assertThat(definitionRefused.path("errors").findValuesAsText("pointer"))
        .containsExactly("/activities/0/config/definition");
    assertThat(count("SELECT count(*) FROM proc_def WHERE tenant_id = 'acme'"))
        .as("only acme's review")
        .isEqualTo(1);

    created(adminAtGlobex.postJson("/api/v1/definitions", usesWriter));
    created(adminAtGlobex.postJson("/api/v1/definitions", usesOnboard));
  }

  private static final String WRITER =
      """
      {"id":"writer","name":"%s","persona":"You write letters."}""";

  /** A definition only globex publishes. */
  private static final String ONBOARD =
      """
      {"id":"onboard","activities":[{"id":"welcome","orchestrator":"noop"}]}""";

  private static HttpResponse<String> created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }

  private static List<String> ids(HttpResponse<String> response, String items) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode item : json(response).path(items)) ids.add(item.path("id").asText());
    return ids;
  }

  private long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private ApiClient client(String tenant, Role role, String user) {
    return new ApiClient(api.port(), ApiClient.issueKey(db, tenant, role, user));
  }

  private static String startedBy(ApiClient client) {
    HttpResponse<String> started =
        client.postJson("/api/v1/processes", "{\"definitionId\": \"review\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    return json(started).path("id").asText();
  }

  private long waitingTaskStartedBy(ApiClient client) {
    startedBy(client);
    ClaimedTask claimed =
        engine.queue().claim("pod", Duration.ofSeconds(30), 1).stream().findFirst().orElseThrow();
    assertThat(engine.suspensions().park(claimed.task(), "ann", null))
        .isEqualTo(TaskOutcome.WAITING);
    return claimed.task().id();
  }

  private String status(String id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT status FROM bpm_proc_inst WHERE id = CAST(:id AS uuid)")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  private String taskStatus(long id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT status FROM todolist WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  private static List<String> processIds(ApiClient client, String query) {
    HttpResponse<String> response = client.get("/api/v1/processes" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode process : json(response).path("processes")) ids.add(process.path("id").asText());
    return ids;
  }

  private static List<Long> ids(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    for (JsonNode task : json(response).path("tasks")) ids.add(task.path("id").asLong());
    return ids;
  }
}
