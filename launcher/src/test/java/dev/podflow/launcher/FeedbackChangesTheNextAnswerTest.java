package dev.podflow.launcher;

import static dev.podflow.launcher.ApiCalls.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.Json;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's "done when", through the HTTP API with a real pod: an agent answers a question, the
 * person who asked posts a correction as feedback (another user may not), and that person's next
 * process with a similar question recalls the correction — in its {@code memory_recall} event and
 * in the prompt the suite's OpenAI-compatible server received. Once on the suite's PostgreSQL with
 * pgvector (the HNSW index) and once on an embedded PostgreSQL without it (the exact search, as the
 * demo runs). The pod embeds with the real in-process all-MiniLM-L6-v2.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class FeedbackChangesTheNextAnswerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String CORRECTION =
      "Refunds are paid back within 2 business days, never 5 — say 2.";

  private final List<AutoCloseable> running = new ArrayList<>();
  private ScriptedLlmServer llm;
  private ExecutionApi api;
  private String adminKey;
  private String adaKey;
  private String bobKey;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable part : running.reversed()) part.close();
    running.clear();
  }

  @Test
  void onPgvectorTheCorrectionIsRecalledThroughTheHnswIndex(TestDatabase db) {
    start(db.database());
    feedbackChangesTheNextAnswer("PGVECTOR_HNSW");
  }

  @Test
  void onTheEmbeddedDatabaseWithoutPgvectorTheCorrectionIsRecalledByExactSearch()
      throws IOException {
    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
    running.add(embedded);
    Database database =
        Database.connect(
            new DatabaseConfig(
                embedded.getJdbcUrl("postgres", "postgres"), "postgres", null, 6, "e2e-memory"));
    running.add(database);
    database.migrate();
    start(database);
    feedbackChangesTheNextAnswer("EXACT");
  }

  private void feedbackChangesTheNextAnswer(String backend) {
    expect(201, send(adminKey, "POST", "/api/v1/agents", "{\"id\":\"support\",\"name\":\"S\"}"));
    expect(
        201,
        send(
            adminKey,
            "POST",
            "/api/v1/definitions",
            """
            {"id":"ask","name":"Ask support","activities":[{"id":"answer",
              "orchestrator":"llm-action",
              "config":{"agent":"support","prompt":"Answer the customer: {{process.input.question}}"}}]}"""));

    llm.answer("Refunds are paid back within 5 business days.");
    JsonNode first = finished(ask("How long does a refund take?"));
    long answerTask = first.path("tasks").get(0).path("id").asLong();
    // Whoever did not start the process cannot rate its steps (as if they did not exist).
    expect(
        404,
        send(
            bobKey,
            "POST",
            "/api/v1/tasks/" + answerTask + "/feedback",
            "{\"rating\":1,\"correction\":\"Say 9 days.\"}"));
    JsonNode feedback =
        expect(
            201,
            send(
                adaKey,
                "POST",
                "/api/v1/tasks/" + answerTask + "/feedback",
                Json.object().put("rating", 2).put("correction", CORRECTION).toString()));
    long memoryId = feedback.path("memoryId").asLong();

    // The pod embeds the correction in the background; the API's search shows when it has.
    String search =
        "/api/v1/agents/support/memories?query="
            + URLEncoder.encode("refund duration", StandardCharsets.UTF_8);
    Eventually.await(
        PATIENCE,
        "the pod embedded the correction",
        () ->
            expect(200, send(adaKey, "GET", search, null))
                .path("memories")
                .findValuesAsText("id")
                .contains(Long.toString(memoryId)));

    llm.answer("Refunds are paid back within 2 business days.");
    JsonNode second = finished(ask("How many days until I get my refund?"));
    String prompt = llm.requests().getLast().prompt();
    assertThat(prompt).contains("## What you have learned").contains("- " + CORRECTION);
    assertThat(llm.requests().getFirst().prompt()).doesNotContain(CORRECTION);

    JsonNode events =
        expect(
            200,
            send(
                adaKey,
                "GET",
                "/api/v1/processes/" + second.path("id").asText() + "/events",
                null));
    JsonNode recall = null;
    for (JsonNode event : events.path("events")) {
      if (event.path("type").asText().equals("memory_recall")) recall = event.path("payload");
    }
    assertThat(recall).as("a memory_recall event in %s", events).isNotNull();
    assertThat(recall.path("backend").asText()).isEqualTo(backend);
    assertThat(recall.path("memories").get(0).path("id").asLong()).isEqualTo(memoryId);
    assertThat(recall.path("memories").get(0).path("source").asText()).isEqualTo("feedback");
  }

  private void start(Database database) {
    llm = ScriptedLlmServer.start();
    running.add(llm);
    api =
        ExecutionApi.start(
            database, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    running.add(api);
    ApiKeys keys = new ApiKeys(database.jdbi(), Clock.systemUTC());
    adminKey = keys.create("default", Role.ADMIN, null, null, "test").wholeKey();
    adaKey = keys.create("default", Role.USER, "ada", null, "test").wholeKey();
    bobKey = keys.create("default", Role.USER, "bob", null, "test").wholeKey();
    AgentPod pod =
        new AgentPod(
                PodConfig.defaults("memory-pod").withSettings(llm.podSettings(0)),
                database,
                OrchestratorRegistry.discover(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .start();
    running.add(pod::stop);
  }

  /** Ada starts a process of {@code ask}; its id. */
  private String ask(String question) {
    JsonNode input = Json.object().put("question", question);
    return expect(
            201,
            send(
                adaKey,
                "POST",
                "/api/v1/processes",
                Json.object().put("definitionId", "ask").set("input", input).toString()))
        .path("id")
        .asText();
  }

  private JsonNode finished(String processId) {
    String path = "/api/v1/processes/" + processId;
    Eventually.await(
        PATIENCE,
        "process " + processId + " completed",
        () ->
            expect(200, send(adaKey, "GET", path, null))
                .path("status")
                .asText()
                .equals("COMPLETED"));
    return expect(200, send(adaKey, "GET", path, null));
  }

  private HttpResponse<String> send(String key, String method, String path, String body) {
    return new ApiCalls(api.port()).send(key, method, path, body);
  }
}
