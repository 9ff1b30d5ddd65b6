package dev.podflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.RecalledMemory;
import dev.podflow.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
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
    MemoryStore store = MemoryStore.open(jdbi, embedder, 0.92);
    assertThat(store.backend()).isEqualTo(MemoryStore.Backend.PGVECTOR_HNSW);
    learnsRecallsAndFoldsDuplicates(jdbi, store);
  }

  @Test
  void withoutPgvectorRecallSearchesExactly() {
    Jdbi jdbi = withoutPgvector.jdbi();
    MemoryStore store = MemoryStore.open(jdbi, embedder, 0.92);
    assertThat(store.backend()).isEqualTo(MemoryStore.Backend.EXACT);
    learnsRecallsAndFoldsDuplicates(jdbi, store);
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
    assertThat(store.embedPending(10)).isEqualTo(3);
    assertThat(store.embedPending(10)).isZero();

    List<RecalledMemory> forAnyone =
        store.recall("default", agent, null, null, "When does an invoice have to be paid?", 5, 0.3);
    assertThat(forAnyone).isNotEmpty();
    assertThat(forAnyone.get(0).id()).isEqualTo(invoices);
    assertThat(forAnyone.get(0).score()).isBetween(0.3, 1.0);
    assertThat(forAnyone).extracting(RecalledMemory::id).doesNotContain(signature);

    List<RecalledMemory> forAlice =
        store.recall("default", agent, "alice", null, "How should I sign this letter?", 5, 0.3);
    assertThat(forAlice).extracting(RecalledMemory::id).first().isEqualTo(signature);

    // The same correction again, a little reworded: it updates the memory, not adds one.
    add(jdbi, agent, null, "knowledge", "Invoices are due within 30 days of being issued.");
    assertThat(store.embedPending(10)).isEqualTo(1);
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
