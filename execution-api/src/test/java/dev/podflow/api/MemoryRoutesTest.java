package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.PendingEmbeddings;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.memory.embedding.EmbeddingFailedException;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link MemoryRoutes} through HTTP on the real database: feedback whose correction becomes a
 * memory of the step's agent, scoped by the caller's role; refused bodies that write nothing;
 * knowledge, listing, search (the rows embedded here, as a pod would), deletion and promotion, each
 * with its roles.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class MemoryRoutesTest {
  private static final String MEMORIES = "/api/v1/agents/writer/memories";

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private Engine engine;
  private ApiClient admin;
  private ApiClient operator;
  private ApiClient ada;
  private ApiClient bob;

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
    admin = ApiClient.admin(db, api.port());
    operator = admin.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    ada = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    bob = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "bob"));
    expect(201, admin.postJson("/api/v1/agents", "{\"id\":\"writer\",\"name\":\"Writer\"}"));
    expect(
        201,
        admin.postJson(
            "/api/v1/definitions",
            """
            {"id":"reply","activities":[
              {"id":"draft","orchestrator":"llm-action",
               "config":{"agent":"writer","prompt":"Answer the customer."}},
              {"id":"review","orchestrator":"human","config":{"assignee":"ada"}}]}"""));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aCorrectionBecomesAMemoryOfTheStepsAgentScopedByWhoGaveIt() {
    long task = draftTaskWaitingFor("ada");

    JsonNode fromAda =
        expect(
            201,
            ada.postJson(
                feedback(task), "{\"rating\":2,\"correction\":\"  Always sign as ACME.  \"}"));
    assertThat(fromAda.path("taskId").asLong()).isEqualTo(task);
    assertThat(fromAda.path("rating").asInt()).isEqualTo(2);
    Map<String, Object> row = memoryRow(fromAda.path("memoryId").asLong());
    assertThat(row)
        .containsEntry("agent_id", "writer")
        .containsEntry("user_id", "ada")
        .containsEntry("source", "feedback")
        .containsEntry("content", "Always sign as ACME.")
        .containsEntry("task_id", task);

    JsonNode fromOperator =
        expect(
            201, operator.postJson(feedback(task), "{\"rating\":4,\"correction\":\"Be brief.\"}"));
    assertThat(memoryRow(fromOperator.path("memoryId").asLong()))
        .containsEntry("user_id", null)
        .containsEntry("task_id", task);

    JsonNode ratingOnly =
        expect(201, ada.postJson(feedback(task), "{\"rating\":5,\"correction\":\"  \"}"));
    assertThat(ratingOnly.path("memoryId").isNull()).isTrue();
    assertThat(count("task_feedback")).isEqualTo(3);
    assertThat(count("memories")).isEqualTo(2);
    Long linked =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT memory_id FROM task_feedback WHERE id = :id")
                        .bind("id", fromAda.path("id").asLong())
                        .mapTo(Long.class)
                        .one());
    assertThat(linked).isEqualTo(fromAda.path("memoryId").asLong());
  }

  @Test
  void refusedFeedbackWritesNothing() {
    long task = draftTaskWaitingFor("ada");
    List<String> refused =
        List.of(
            "{}",
            "{\"rating\":0}",
            "{\"rating\":6}",
            "{\"rating\":\"5\"}",
            "{\"rating\":2.5}",
            "{\"rating\":3,\"note\":\"x\"}",
            "{\"rating\":3,\"correction\":5}",
            "{\"rating\":3,\"correction\":\"" + "x".repeat(8001) + "\"}");
    for (String body : refused) {
      assertProblem(ada.postJson(feedback(task), body), 422, "invalid-feedback");
    }
    assertProblem(ada.postJson(feedback(987_654), "{\"rating\":3}"), 404, "task-not-found");
    // bob is not assigned the task: it does not exist for him.
    assertProblem(bob.postJson(feedback(task), "{\"rating\":3}"), 404, "task-not-found");
    // A step that runs no agent has no agent to teach.
    long review = humanTask();
    JsonNode noAgent =
        assertProblem(
            operator.postJson(feedback(review), "{\"rating\":1,\"correction\":\"No.\"}"),
            422,
            "invalid-feedback");
    assertThat(noAgent.path("errors").get(0).path("detail").asText()).contains("runs no agent");
    assertThat(count("task_feedback")).isZero();
    assertThat(count("memories")).isZero();
  }

  @Test
  void rolesDecideWhoTeachesSeesRemovesAndPromotes() {
    long task = draftTaskWaitingFor("ada");
    assertProblem(
        ada.postJson("/api/v1/agents/writer/knowledge", "{\"text\":\"x\"}"), 403, "forbidden");
    assertProblem(
        operator.postJson("/api/v1/agents/writer/knowledge", "{\"text\":\"x\"}"), 403, "forbidden");
    JsonNode knowledge =
        expect(
            201,
            admin.postJson(
                "/api/v1/agents/writer/knowledge", "{\"text\":\"Refunds take 5 days.\"}"));
    assertThat(knowledge.path("source").asText()).isEqualTo("knowledge");
    assertThat(knowledge.path("embedded").asBoolean()).isFalse();
    assertThat(memoryRow(knowledge.path("id").asLong())).containsEntry("user_id", null);
    assertProblem(
        admin.postJson("/api/v1/agents/nobody/knowledge", "{\"text\":\"x\"}"),
        404,
        "agent-not-found");
    long adas =
        expect(201, ada.postJson(feedback(task), "{\"rating\":1,\"correction\":\"Use Sie.\"}"))
            .path("memoryId")
            .asLong();

    assertThat(ids(expect(200, ada.get(MEMORIES))))
        .containsExactly(adas, knowledge.path("id").asLong());
    assertThat(ids(expect(200, bob.get(MEMORIES)))).containsExactly(knowledge.path("id").asLong());
    assertThat(ids(expect(200, operator.get(MEMORIES)))).hasSize(2);
    JsonNode first = expect(200, operator.get(MEMORIES + "?limit=1"));
    assertThat(ids(first)).containsExactly(adas);
    assertThat(ids(expect(200, operator.get(MEMORIES + "?cursor=" + first.path("next").asText()))))
        .containsExactly(knowledge.path("id").asLong());

    assertProblem(bob.delete(MEMORIES + "/" + adas), 404, "memory-not-found");
    assertProblem(
        bob.delete(MEMORIES + "/" + knowledge.path("id").asLong()), 404, "memory-not-found");
    assertProblem(ada.post(MEMORIES + "/" + adas + "/promote", ""), 403, "forbidden");
    JsonNode promoted = expect(200, operator.post(MEMORIES + "/" + adas + "/promote", ""));
    assertThat(promoted.path("userId").isNull()).isTrue();
    assertThat(ids(expect(200, bob.get(MEMORIES)))).contains(adas);
    assertThat(memoryRow(adas)).containsEntry("user_id", null);
    assertProblem(operator.post(MEMORIES + "/987654/promote", ""), 404, "memory-not-found");

    // Once the whole agent's, it is no longer ada's own to remove; an operator may.
    assertProblem(ada.delete(MEMORIES + "/" + adas), 404, "memory-not-found");
    expect(204, operator.delete(MEMORIES + "/" + adas));
    assertThat(count("memories")).isEqualTo(1);
    assertThat(auditActions())
        .contains("memory.knowledge_added", "memory.promoted", "memory.deleted");
  }

  @Test
  void aQueryAnswersWhatTheAgentWouldRecallForTheCaller() {
    long task = draftTaskWaitingFor("ada");
    expect(
        201,
        admin.postJson(
            "/api/v1/agents/writer/knowledge",
            "{\"text\":\"Refunds are paid back within five business days.\"}"));
    expect(
        201,
        admin.postJson(
            "/api/v1/agents/writer/knowledge", "{\"text\":\"Our office cat is called Miso.\"}"));
    long adas =
        expect(
                201,
                ada.postJson(
                    feedback(task),
                    "{\"rating\":2,\"correction\":\"Mention the refund form when refunds come"
                        + " up.\"}"))
            .path("memoryId")
            .asLong();
    // No pod runs here: embed the rows as one would.
    assertThat(
            new PendingEmbeddings(MemoryStore.open(db.jdbi(), Embedders.local()), 0.92)
                .embedPending(50))
        .isEqualTo(3);

    String search = MEMORIES + "?query=how%20long%20does%20a%20refund%20take";
    HttpResponse<String> forAda = ada.get(search);
    JsonNode found = expect(200, forAda);
    assertThat(found.path("memories")).hasSize(3);
    assertThat(found.path("memories").get(0).path("content").asText())
        .contains("five business days");
    List<Double> scores = new ArrayList<>();
    found.path("memories").forEach(m -> scores.add(m.path("score").asDouble()));
    assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(ids(found)).contains(adas);

    assertThat(ids(expect(200, bob.get(search)))).hasSize(2).doesNotContain(adas);
    assertThat(ids(expect(200, operator.get(search)))).hasSize(2).doesNotContain(adas);
    assertThat(ids(expect(200, operator.get(search + "&user=ada")))).contains(adas);
    assertProblem(bob.get(search + "&user=ada"), 403, "forbidden");
    assertProblem(ada.get(search + "&limit=5"), 400, "invalid-request");
    assertProblem(ada.get(MEMORIES + "?query=%20"), 400, "invalid-request");
  }

  @Test
  void aSearchTheModelCannotEmbedAnswers503NamingTheSettings(Database db) {
    Embedder down =
        new Embedder() {
          @Override
          public String model() {
            return "down";
          }

          @Override
          public int dimension() {
            return Embedder.DIMENSION;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            throw new EmbeddingFailedException("connection refused", null);
          }
        };
    try (ExecutionApi failing =
        ExecutionApi.start(
            db,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0).withQueryEmbedder(down))) {
      HttpResponse<String> answer =
          ApiClient.admin(db, failing.port()).get(MEMORIES + "?query=refunds");
      JsonNode problem = assertProblem(answer, 503, "embedding-unavailable");
      assertThat(problem.path("detail").asText())
          .contains("connection refused")
          .contains("PODFLOW_EMBEDDING_*");
    }
  }

  // --- helpers ---

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return status == 204 ? null : contract.check(response);
  }

  private static String feedback(long task) {
    return "/api/v1/tasks/" + task + "/feedback";
  }

  /**
   * Starts {@code reply} and parks its llm-action task for {@code assignee}, as a question would.
   */
  private long draftTaskWaitingFor(String assignee) {
    expect(201, admin.postJson("/api/v1/processes", "{\"definitionId\":\"reply\"}"));
    ClaimedTask claimed = engine.queue().claim("pod", Duration.ofSeconds(30), 1).getFirst();
    assertThat(claimed.task().activityId()).isEqualTo("draft");
    assertThat(engine.suspensions().park(claimed.task(), assignee, null))
        .isEqualTo(TaskOutcome.WAITING);
    return claimed.task().id();
  }

  /** A task of the human step, which runs no agent. */
  private long humanTask() {
    expect(201, admin.postJson("/api/v1/processes", "{\"definitionId\":\"reply\"}"));
    ClaimedTask draft = engine.queue().claim("pod", Duration.ofSeconds(30), 1).getFirst();
    engine.completions().complete(draft.task(), Json.object().put("text", "Hello"));
    ClaimedTask review = engine.queue().claim("pod", Duration.ofSeconds(30), 1).getFirst();
    assertThat(review.task().activityId()).isEqualTo("review");
    return review.task().id();
  }

  private static List<Long> ids(JsonNode answer) {
    List<Long> ids = new ArrayList<>();
    answer.path("memories").forEach(m -> ids.add(m.path("id").asLong()));
    return ids;
  }

  private Map<String, Object> memoryRow(long id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT agent_id, user_id, source, content, task_id FROM memories"
                            + " WHERE id = :id")
                    .bind("id", id)
                    .mapToMap()
                    .one());
  }

  private long count(String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  private List<String> auditActions() {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT action FROM audit_log").mapTo(String.class).list());
  }
}
