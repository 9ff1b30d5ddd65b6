package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.PendingEmbeddings;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DocumentRoutes} through HTTP on the real database: a document queued (202), chunked and
 * embedded by the pods' own code, its progress read back, then deleted with its chunks, also while
 * a pod embeds it; refused bodies that write nothing; the roles that add, read and delete; and
 * another tenant that neither sees nor deletes it.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DocumentRoutesTest {
  private static final String DOCUMENTS = "/api/v1/documents";

  /** A Markdown document of several sections, a few chunks long. */
  private static final String HANDBOOK =
      "# Refunds\n\n"
          + "Refunds are paid back within five business days. ".repeat(30)
          + "\n\n## Shipping\n\n"
          + "Parcels leave the warehouse the day after the order. ".repeat(30)
          + "\n\n## Returns\n\n"
          + "A return needs the form from the customer portal. ".repeat(30);

  private final OpenApiContract contract = OpenApiContract.load();
  private Database db;
  private ExecutionApi api;
  private ApiClient admin;
  private ApiClient operator;
  private ApiClient ada;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    admin = ApiClient.admin(db, api.port());
    operator = admin.withKey(ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    ada = admin.withKey(ApiClient.issueKey(db, "default", Role.USER, "ada"));
    expect(201, admin.postJson("/api/v1/agents", "{\"id\":\"writer\",\"name\":\"Writer\"}"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aDocumentIsQueuedEmbeddedByAPodAndDeletedWithItsChunks() {
    HttpResponse<String> answer =
        admin.postJson(
            DOCUMENTS,
            Map.of(
                "title", "  Customer handbook ",
                "text", HANDBOOK,
                "mediaType", "text/markdown",
                "agentId", "writer"));
    JsonNode queued = expect(202, answer);
    long id = queued.path("id").asLong();
    String document = DOCUMENTS + "/" + id;
    assertThat(answer.headers().firstValue("Location")).hasValue(document);
    assertThat(queued.path("title").asText()).isEqualTo("Customer handbook");
    assertThat(queued.path("mediaType").asText()).isEqualTo("text/markdown");
    assertThat(queued.path("agentId").asText()).isEqualTo("writer");
    assertThat(queued.path("status").asText()).isEqualTo("QUEUED");
    assertThat(queued.path("chunks").isNull()).isTrue();
    assertThat(queued.path("chunksEmbedded").asInt()).isZero();
    assertThat(queued.path("attempts").asInt()).isZero();
    assertThat(queued.has("text") || queued.has("content")).isFalse();
    Map<String, Object> row =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT content, created_by FROM documents WHERE id = :id")
                        .bind("id", id)
                        .mapToMap()
                        .one());
    assertThat(row).containsEntry("content", HANDBOOK);
    assertThat((String) row.get("created_by")).startsWith("key:");
    assertThat(expect(200, operator.get(document)).path("status").asText()).isEqualTo("QUEUED");

    // No pod runs here: chunk and embed it with the pods' own code and model.
    assertThat(
            new PendingEmbeddings(MemoryStore.open(db.jdbi(), Embedders.local()), 0.92)
                .drain("pod-test"))
        .isTrue();

    JsonNode ready = expect(200, operator.get(document));
    assertThat(ready.path("status").asText()).isEqualTo("READY");
    assertThat(ready.path("chunks").asInt()).isGreaterThan(1);
    assertThat(ready.path("chunksEmbedded").asInt()).isEqualTo(ready.path("chunks").asInt());
    assertThat(ready.path("attempts").asInt()).isEqualTo(1);
    assertThat(ready.path("error").isNull()).isTrue();
    assertThat(chunks(id)).isEqualTo(ready.path("chunks").asLong());
    JsonNode listed = expect(200, operator.get(DOCUMENTS)).path("documents");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0)).isEqualTo(ready);

    expect(204, admin.delete(document));
    assertProblem(operator.get(document), 404, "document-not-found");
    assertProblem(admin.delete(document), 404, "document-not-found");
    assertThat(count("documents")).isZero();
    assertThat(chunks(id)).isZero();
    assertThat(auditActions()).containsExactly("document.added", "document.deleted");
  }

  @Test
  void deletingADocumentWhileAPodEmbedsItStopsThePodAndLeavesNoChunks() {
    // Enough paragraphs for more than one batch of 16 chunks: the first batch is stored before
    // the document is deleted, as the model embeds the second.
    String longText = ("Paragraph about refunds and returns. ".repeat(20) + "\n\n").repeat(40);
    long id =
        expect(202, admin.postJson(DOCUMENTS, Map.of("title", "Long", "text", longText)))
            .path("id")
            .asLong();
    AtomicInteger calls = new AtomicInteger();
    AtomicLong chunksBeforeDelete = new AtomicLong(-1);
    Embedder deletingOnSecondBatch =
        new Embedder() {
          @Override
          public String model() {
            return "test-constant";
          }

          @Override
          public int dimension() {
            return Embedder.DIMENSION;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            if (calls.incrementAndGet() == 2) {
              chunksBeforeDelete.set(chunks(id));
              expect(204, admin.delete(DOCUMENTS + "/" + id));
            }
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
              float[] vector = new float[Embedder.DIMENSION];
              Arrays.fill(vector, 0.05f);
              vectors.add(vector);
            }
            return vectors;
          }
        };

    assertThat(
            new PendingEmbeddings(MemoryStore.open(db.jdbi(), deletingOnSecondBatch), 0.92)
                .drain("pod-test"))
        .isTrue();

    assertThat(calls.get()).as("the pod stopped after the batch it was embedding").isEqualTo(2);
    assertThat(chunksBeforeDelete.get()).isEqualTo(16);
    assertThat(chunks(id)).isZero();
    assertThat(count("documents")).isZero();
  }

  @Test
  void refusedDocumentsAreProblemsAndAddNothing() {
    List<String> invalid =
        List.of(
            "{}",
            "{\"text\":\"x\"}",
            "{\"title\":\" \",\"text\":\"x\"}",
            "{\"title\":\"" + "t".repeat(DocumentRoutes.TITLE_LIMIT + 1) + "\",\"text\":\"x\"}",
            "{\"title\":7,\"text\":\"x\"}",
            "{\"title\":\"t\"}",
            "{\"title\":\"t\",\"text\":\"  \\n \"}",
            "{\"title\":\"t\",\"text\":[\"x\"]}",
            "{\"title\":\"t\",\"text\":\"x\",\"mediaType\":\"text/html\"}",
            "{\"title\":\"t\",\"text\":\"x\",\"mediaType\":1}",
            "{\"title\":\"t\",\"text\":\"x\",\"agentId\":\"nobody\"}",
            "{\"title\":\"t\",\"text\":\"x\",\"agentId\":false}",
            "{\"title\":\"t\",\"text\":\"x\",\"content\":\"x\"}");
    for (String body : invalid) {
      JsonNode problem = assertProblem(admin.postJson(DOCUMENTS, body), 422, "invalid-document");
      assertThat(problem.path("errors").get(0).path("pointer").asText()).startsWith("/");
      assertThat(count("documents")).as(body).isZero();
    }
    JsonNode tooLong =
        assertProblem(
            admin.postJson(
                DOCUMENTS,
                "{\"title\":\"t\",\"text\":\"" + "x".repeat(DocumentRoutes.TEXT_LIMIT + 1) + "\"}"),
            422,
            "invalid-document");
    assertThat(tooLong.path("errors").get(0).path("detail").asText())
        .isEqualTo("must be at most 1000000 characters");
    assertProblem(
        admin.postJson(DOCUMENTS, "{\"title\":\"t\",\"text\":\"a\\u0000b\"}"),
        422,
        "unstorable-json");
    assertProblem(admin.postJson(DOCUMENTS, "{\"title\":\"t\","), 400, "malformed-json");
    assertProblem(admin.postJson(DOCUMENTS, "[]"), 400, "invalid-request");
    assertProblem(
        admin.post(DOCUMENTS, "{\"title\":\"t\",\"text\":\"x\"}", "Content-Type", "text/plain"),
        415,
        "unsupported-media-type");
    // Over the body limit (3 bytes a character): refused by its declared length, unread.
    String huge = "{\"title\":\"t\",\"text\":\"" + "한".repeat(1_400_000) + "\"}";
    JsonNode tooLarge =
        assertProblem(
            admin.send(
                admin
                    .request(DOCUMENTS)
                    .header("Content-Type", "application/json")
                    .expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofString(huge))),
            413,
            "request-too-large");
    assertThat(tooLarge.path("detail").asText()).contains(BodyLimit.DOCUMENT.maxBytes() + " bytes");
    assertThat(count("documents")).isZero();
    assertThat(auditActions()).isEmpty();

    // The longest text is taken, in Korean too; mediaType defaults to text/plain.
    JsonNode longest =
        expect(
            202,
            admin.postJson(
                DOCUMENTS, Map.of("title", "제목", "text", "한".repeat(DocumentRoutes.TEXT_LIMIT))));
    assertThat(longest.path("mediaType").asText()).isEqualTo("text/plain");
    assertThat(longest.path("agentId").isNull()).isTrue();
  }

  @Test
  void anAdminAddsAndDeletesAnOperatorReadsAUserNeither() {
    String body = "{\"title\":\"Tone\",\"text\":\"Be kind.\"}";
    assertProblem(ada.postJson(DOCUMENTS, body), 403, "forbidden");
    assertProblem(operator.postJson(DOCUMENTS, body), 403, "forbidden");
    assertThat(count("documents")).isZero();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      ids.add(expect(202, admin.postJson(DOCUMENTS, body)).path("id").asLong());
    String document = DOCUMENTS + "/" + ids.getFirst();

    assertProblem(ada.get(DOCUMENTS), 403, "forbidden");
    assertProblem(ada.get(document), 403, "forbidden");
    assertProblem(ada.delete(document), 403, "forbidden");
    assertProblem(operator.delete(document), 403, "forbidden");
    assertThat(count("documents")).isEqualTo(3);

    JsonNode first = expect(200, operator.get(DOCUMENTS + "?limit=2"));
    assertThat(ids(first)).containsExactly(ids.get(2), ids.get(1));
    JsonNode last = expect(200, operator.get(DOCUMENTS + "?cursor=" + first.path("next").asText()));
    assertThat(ids(last)).containsExactly(ids.get(0));
    assertThat(last.path("next").isNull()).isTrue();
    assertThat(expect(200, operator.get(document)).path("id").asLong()).isEqualTo(ids.getFirst());
  }

  @Test
  void anotherTenantNeitherSeesNorDeletesADocument() {
    long id =
        expect(202, admin.postJson(DOCUMENTS, "{\"title\":\"Ours\",\"text\":\"Secret plan.\"}"))
            .path("id")
            .asLong();
    ApiClient acme = admin.withKey(ApiClient.issueKey(db, "acme", Role.ADMIN, null));

    assertThat(ids(expect(200, acme.get(DOCUMENTS)))).isEmpty();
    assertProblem(acme.get(DOCUMENTS + "/" + id), 404, "document-not-found");
    assertProblem(acme.delete(DOCUMENTS + "/" + id), 404, "document-not-found");
    // writer is an agent of tenant default only.
    JsonNode foreignAgent =
        assertProblem(
            acme.postJson(DOCUMENTS, "{\"title\":\"t\",\"text\":\"x\",\"agentId\":\"writer\"}"),
            422,
            "invalid-document");
    assertThat(foreignAgent.path("errors").get(0).path("pointer").asText()).isEqualTo("/agentId");
    assertThat(ids(expect(200, admin.get(DOCUMENTS)))).containsExactly(id);
    assertThat(count("documents")).isEqualTo(1);
  }

  // --- helpers ---

  private JsonNode expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.uri(), response.body())
        .isEqualTo(status);
    return status == 204 ? null : contract.check(response);
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("documents").forEach(d -> ids.add(d.path("id").asLong()));
    return ids;
  }

  private long chunks(long documentId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM document_chunks WHERE document_id = :id")
                    .bind("id", documentId)
                    .mapTo(Long.class)
                    .one());
  }

  private long count(String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  private List<String> auditActions() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT action FROM audit_log WHERE action LIKE 'document.%' ORDER BY id")
                    .mapTo(String.class)
                    .list());
  }
}
