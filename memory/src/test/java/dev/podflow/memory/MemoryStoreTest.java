package dev.podflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.pgvector.PGvector;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.memory.DocumentDao;
import dev.podflow.store.memory.DocumentToEmbed;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.RecalledMemory;
import dev.podflow.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memories embedded by the real all-MiniLM-L6-v2 and recalled, on both backends: pgvector's HNSW
 * index (the suite's PostgreSQL) and the exact search of a database without pgvector (an embedded
 * PostgreSQL, as the demo runs).
 */
class MemoryStoreTest {
  private static Embedder embedder;
  private static EmbeddedPostgres embedded;
  private static Database withoutPgvector;

  @BeforeAll
  static void start() throws Exception {
    embedder = Embedders.local();
    embedded = EmbeddedPostgres.builder().start();
    withoutPgvector =
        Database.connect(
            new DatabaseConfig(
                embedded.getJdbcUrl("postgres", "postgres"), "postgres", null, 4, "memory-test"));
    withoutPgvector.migrate();
  }

  @AfterAll
  static void stop() throws Exception {
    if (withoutPgvector != null) withoutPgvector.close();
    if (embedded != null) embedded.close();
  }

  @Test
  void onPgvectorRecallGoesThroughTheHnswIndex() {
    Jdbi jdbi = TestDatabase.shared().database().jdbi();
    MemoryStore store = MemoryStore.open(jdbi, embedder);
    assertThat(store.backend()).isEqualTo(MemoryStore.Backend.PGVECTOR_HNSW);
    learnsRecallsAndFoldsDuplicates(jdbi, store);
  }

  @Test
  void withoutPgvectorRecallSearchesExactly() {
    Jdbi jdbi = withoutPgvector.jdbi();
    MemoryStore store = MemoryStore.open(jdbi, embedder);
    assertThat(store.backend()).isEqualTo(MemoryStore.Backend.EXACT);
    learnsRecallsAndFoldsDuplicates(jdbi, store);
  }

  @Test
  void documentsAreChunkedEmbeddedAndRecalledOnBothBackends() {
    for (Jdbi jdbi : List.of(TestDatabase.shared().database().jdbi(), withoutPgvector.jdbi())) {
      MemoryStore store = MemoryStore.open(jdbi, embedder);
      String paragraph = "Our office furniture is replaced every five years by facilities. ";
      String refunds =
          "Refunds: a customer who asks for a refund gets an answer within two business days,"
              + " and the money back within ten. ";
      String content =
          "# Handbook\n\n"
              + paragraph.repeat(8)
              + "\n\n"
              + refunds.repeat(3)
              + "\n\n"
              + "Parking spaces are assigned by seniority and renewed each January. ".repeat(8);
      long document =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "INSERT INTO documents (tenant_id, title, media_type, content,"
                              + " created_by) VALUES ('default', 'Handbook', 'text/markdown', :c,"
                              + " 'test') RETURNING id")
                      .bind("c", content)
                      .mapTo(Long.class)
                      .one());
      new PendingEmbeddings(store, 0.92).drain("pod-a");
      assertThat(text(jdbi, "SELECT status FROM documents WHERE id = " + document))
          .isEqualTo("READY");
      long chunks =
          number(jdbi, "SELECT count(*) FROM document_chunks WHERE document_id = " + document);
      assertThat(chunks).isGreaterThanOrEqualTo(3);
      assertThat(number(jdbi, "SELECT chunks FROM documents WHERE id = " + document))
          .isEqualTo(chunks);

      var found =
          store.recallChunks(
              "default", "anyone", store.embed("How soon do we answer a refund request?"), 3, 0.2);
      assertThat(found).isNotEmpty();
      assertThat(found.getFirst().documentId()).isEqualTo(document);
      assertThat(found.getFirst().content()).contains("refund");
    }
  }

  @Test
  void aPodThatLostItsLeaseWritesNothingMore() {
    Jdbi jdbi = TestDatabase.shared().database().jdbi();
    jdbi.useHandle(h -> h.execute("UPDATE documents SET status = 'READY' WHERE status <> 'READY'"));
    long document =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "INSERT INTO documents (tenant_id, title, media_type, content, created_by)"
                            + " VALUES ('default', 'T', 'text/plain', 'Some text.', 'test')"
                            + " RETURNING id")
                    .mapTo(Long.class)
                    .one());
    var first = jdbi.withExtension(DocumentDao.class, dao -> dao.documentClaim("pod-a", 60));
    assertThat(first).get().extracting(DocumentToEmbed::id).isEqualTo(document);
    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE documents SET lease_until = now() - interval '1 second' WHERE id = ?",
                document));
    var second = jdbi.withExtension(DocumentDao.class, dao -> dao.documentClaim("pod-b", 60));
    assertThat(second).get().extracting(DocumentToEmbed::attempt).isEqualTo(2);
    DocumentDao dao = jdbi.onDemand(DocumentDao.class);
    assertThat(dao.documentProgress(document, 1, 1, 1, 60)).isFalse();
    assertThat(dao.documentReady(document, 1)).isFalse();
    assertThat(dao.documentReady(document, 2)).isTrue();
  }

  /**
   * The indexed searches' ORDER BY is the expression the HNSW indexes were built on, so the planner
   * can serve them from the index. The test tables are too small for the planner to prefer it on
   * its own, so sequential scans and sorts are off and the B-tree indexes are dropped in a
   * transaction that is rolled back. (Whether it is chosen at scale is the bench's memory rows.)
   */
  @Test
  void theIndexedSearchesCanUseTheHnswIndexes() throws Exception {
    Jdbi jdbi = TestDatabase.shared().database().jdbi();
    PGvector query = new PGvector(embedder.embed("refunds"));
    for (String[] search :
        new String[][] {
          {"MemoryDao/memoryRecallIndexed.sql", "memories_embedding"},
          {"MemoryDao/memoryNearDuplicateIndexed.sql", "memories_embedding"},
          {"DocumentDao/chunkRecallIndexed.sql", "document_chunks_embedding"}
        }) {
      String sql;
      try (var in = MemoryDao.class.getResourceAsStream(search[0])) {
        sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String plan =
          jdbi.withHandle(
              h -> {
                h.begin();
                h.execute("SET LOCAL enable_seqscan = off");
                h.execute("SET LOCAL enable_sort = off");
                h.execute("DROP INDEX memories_agent, document_chunks_tenant");
                String lines =
                    String.join(
                        "\n",
                        h.createQuery("EXPLAIN " + sql)
                            .bind("tenantId", "default")
                            .bind("agentId", "writer")
                            .bind("userId", "ada")
                            .bind("definitionId", "greet")
                            .bind("sources", RecallProfile.SOURCES.toArray(String[]::new))
                            .bind("query", query)
                            .bind("embedding", query)
                            .bind("id", 1L)
                            .bind("minScore", 0.3)
                            .bind("limit", 5)
                            .mapTo(String.class)
                            .list());
                h.rollback();
                return lines;
              });
      assertThat(plan).as(search[0]).contains("Index Scan using " + search[1]);
    }
  }

  private static String text(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
  }

  private static long number(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static void learnsRecallsAndFoldsDuplicates(Jdbi jdbi, MemoryStore store) {
    String agent = "writer-" + UUID.randomUUID().toString().substring(0, 8);
    jdbi.useHandle(
        h ->
            h.createUpdate("INSERT INTO agents (tenant_id, id, name) VALUES ('default', :id, 'W')")
                .bind("id", agent)
                .execute());
    long invoices =
        add(jdbi, agent, null, "knowledge", "Invoices are due within 30 days of issue.");
    long signature =
        add(jdbi, agent, "alice", "feedback", "Always sign letters as The Support Team.");
    add(jdbi, agent, null, "knowledge", "The office closes at 18:00 on Fridays.");
    PendingEmbeddings pending = new PendingEmbeddings(store, 0.92);
    assertThat(pending.embedPending(10)).isEqualTo(3);
    assertThat(pending.embedPending(10)).isZero();

    float[] invoiceQuestion = store.embed("When does an invoice have to be paid?");
    List<RecalledMemory> forAnyone =
        store.recall("default", agent, null, null, RecallProfile.SOURCES, invoiceQuestion, 5, 0.3);
    assertThat(forAnyone).isNotEmpty();
    assertThat(forAnyone.get(0).id()).isEqualTo(invoices);
    assertThat(forAnyone.get(0).score()).isBetween(0.3, 1.0);
    assertThat(forAnyone).extracting(RecalledMemory::id).doesNotContain(signature);

    float[] letterQuestion = store.embed("How should I sign this letter?");
    List<RecalledMemory> forAlice =
        store.recall(
            "default", agent, "alice", null, RecallProfile.SOURCES, letterQuestion, 5, 0.3);
    assertThat(forAlice).extracting(RecalledMemory::id).first().isEqualTo(signature);
    // A profile that recalls only feedback does not see the knowledge.
    assertThat(
            store.recall(
                "default", agent, "alice", null, Set.of("feedback"), invoiceQuestion, 5, 0))
        .extracting(RecalledMemory::id)
        .containsExactly(signature);

    // The same correction again, a little reworded: it updates the memory, not adds one.
    add(jdbi, agent, null, "knowledge", "Invoices are due within 30 days of being issued.");
    assertThat(pending.embedPending(10)).isEqualTo(1);
    List<String> contents =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT content FROM memories WHERE agent_id = :a ORDER BY id")
                    .bind("a", agent)
                    .mapTo(String.class)
                    .list());
    assertThat(contents)
        .containsExactly(
            "Invoices are due within 30 days of being issued.",
            "Always sign letters as The Support Team.",
            "The office closes at 18:00 on Fridays.");
  }

  private static long add(Jdbi jdbi, String agent, String user, String source, String content) {
    return jdbi.withExtension(
        MemoryDao.class,
        dao -> dao.memoryInsert("default", agent, user, null, source, content, null, "test"));
  }
}
