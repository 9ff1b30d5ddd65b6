package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.store.event.Event;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A correction the agent was given is recalled into the prompt of its next similar step: the pod
 * embeds the memory (the real all-MiniLM-L6-v2, on the suite's pgvector), the prompt the LLM server
 * received carries it under the memory heading, and a {@code memory_recall} event names it.
 */
class MemoryRecallTest extends LlmStepTestBase {

  @Test
  void aCorrectionIsRecalledIntoTheNextSimilarStep(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    long correction =
        db.database()
            .jdbi()
            .withExtension(
                MemoryDao.class,
                dao ->
                    dao.memoryInsert(
                        "default",
                        "clerk",
                        null,
                        null,
                        "feedback",
                        "Refund requests are answered within 2 business days, never 5.",
                        null,
                        "boss"));
    Eventually.await(
        PATIENCE,
        "the pod embedded the correction",
        () ->
            db.number(
                    "SELECT count(*) FROM memories WHERE embedding IS NOT NULL AND id = "
                        + correction)
                == 1);

    llm.answer("We answer refund requests within 2 business days.");
    UUID instance =
        run(
            config("clerk", "How fast do we answer a customer's refund request?"),
            Json.object(),
            1);
    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");

    String prompt = llm.requests().getFirst().prompt();
    assertThat(prompt)
        .contains(PromptBuilder.MEMORY_HEADING)
        .contains("- Refund requests are answered within 2 business days, never 5.");
    List<Event> recalls = events(instance, LlmActionOrchestrator.MEMORY_RECALL);
    assertThat(recalls).hasSize(1);
    assertThat(recalls.getFirst().payload().at("/memories/0/id").asLong()).isEqualTo(correction);
    assertThat(recalls.getFirst().payload().at("/memories/0/score").asDouble()).isGreaterThan(0.35);
    assertThat(recalls.getFirst().payload().at("/backend").asText()).isEqualTo("PGVECTOR_HNSW");
  }

  @Test
  void aPassageOfAnUploadedDocumentIsRecalledIntoThePrompt(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    String refunds = "Refund requests are answered within two business days. ";
    long document =
        db.database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "INSERT INTO documents (tenant_id, title, media_type, content,"
                                + " created_by) VALUES ('default', 'Service handbook',"
                                + " 'text/markdown', :c, 'boss') RETURNING id")
                        .bind(
                            "c",
                            "# Service\n\n"
                                + "Desks are cleaned every evening. ".repeat(20)
                                + "\n\n"
                                + refunds.repeat(4))
                        .mapTo(Long.class)
                        .one());
    Eventually.await(
        PATIENCE,
        "the pod chunked and embedded the document",
        () -> db.text("SELECT status FROM documents WHERE id = " + document).equals("READY"));

    llm.answer("Within two business days.");
    UUID instance =
        run(
            config("clerk", "How fast do we answer a customer's refund request?"),
            Json.object(),
            1);
    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(llm.requests().getFirst().prompt())
        .contains(PromptBuilder.DOCUMENTS_HEADING)
        .contains("From \"Service handbook\":")
        .contains("Refund requests are answered within two business days.");
    Event recall = events(instance, LlmActionOrchestrator.MEMORY_RECALL).getFirst();
    assertThat(recall.payload().at("/chunks/0/documentId").asLong()).isEqualTo(document);
  }

  @Test
  void anUnrelatedQuestionRecallsNothing(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    db.database()
        .jdbi()
        .useExtension(
            MemoryDao.class,
            dao ->
                dao.memoryInsert(
                    "default",
                    "clerk",
                    null,
                    null,
                    "knowledge",
                    "Refund requests are answered within 2 business days.",
                    null,
                    "boss"));
    Eventually.await(
        PATIENCE,
        "the pod embedded the knowledge",
        () -> db.number("SELECT count(*) FROM memories WHERE embedding IS NOT NULL") == 1);

    llm.answer("Blue.");
    UUID instance =
        run(config("clerk", "What colour is the sky on Mars at noon?"), Json.object(), 1);
    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(llm.requests().getFirst().prompt()).doesNotContain(PromptBuilder.MEMORY_HEADING);
    assertThat(events(instance, LlmActionOrchestrator.MEMORY_RECALL)).isEmpty();
  }

  @Test
  void theAgentsProfileNarrowsRecallOrTurnsItOff(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    long feedback =
        remember(db, "feedback", "Refund requests are answered within 2 business days.");
    long knowledge = remember(db, "knowledge", "Refund requests need the order number.");
    Eventually.await(
        PATIENCE,
        "the pod embedded both",
        () -> db.number("SELECT count(*) FROM memories WHERE embedding IS NOT NULL") == 2);

    profile(db, "{\"sources\": [\"knowledge\"], \"topK\": 3}");
    llm.answer("Send the order number.");
    UUID narrowed = run(config("clerk", "How do we handle a refund request?"), Json.object(), 1);
    assertThat(awaitFinished(narrowed)).isEqualTo("COMPLETED");
    Event recall = events(narrowed, LlmActionOrchestrator.MEMORY_RECALL).getFirst();
    assertThat(recall.payload().at("/memories").findValues("id"))
        .extracting(JsonNode::asLong)
        .containsExactly(knowledge)
        .doesNotContain(feedback);

    profile(db, "{\"recall\": false}");
    llm.answer("Quickly.");
    UUID off = run(config("clerk", "How do we handle a refund request?"), Json.object(), 1);
    assertThat(awaitFinished(off)).isEqualTo("COMPLETED");
    assertThat(llm.requests().getLast().prompt()).doesNotContain(PromptBuilder.MEMORY_HEADING);
    assertThat(events(off, LlmActionOrchestrator.MEMORY_RECALL)).isEmpty();
  }

  private static long remember(TestDatabase db, String source, String content) {
    return db.database()
        .jdbi()
        .withExtension(
            MemoryDao.class,
            dao -> dao.memoryInsert("default", "clerk", null, null, source, content, null, "boss"));
  }

  private static void profile(TestDatabase db, String memory) {
    db.database()
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE agents SET memory = CAST(:m AS jsonb) WHERE id = 'clerk'")
                    .bind("m", memory)
                    .execute());
  }
}
