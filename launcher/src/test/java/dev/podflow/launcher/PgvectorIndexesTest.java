package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Migrating creates pgvector and the memory search's HNSW indexes where the server has pgvector,
 * also for a database that was first migrated without it: every migration run checks again.
 */
class PgvectorIndexesTest {
  private static final String INDEXES =
      "SELECT indexname FROM pg_indexes WHERE indexname IN"
          + " ('memories_embedding', 'document_chunks_embedding') ORDER BY indexname";

  @Test
  void migratingAgainCreatesTheIndexesAfterPgvectorArrives() {
    try (EmptyDatabase empty = new EmptyDatabase();
        Database database = Database.connect(empty.config())) {
      Jdbi jdbi = database.jdbi();
      database.migrate();
      assertThat(indexes(jdbi)).containsExactly("document_chunks_embedding", "memories_embedding");
      assertThat(MemoryStore.open(jdbi, Embedders.local()).backend())
          .isEqualTo(MemoryStore.Backend.PGVECTOR_HNSW);

      // As if the database had been migrated before pgvector was installed.
      jdbi.useHandle(h -> h.execute("DROP EXTENSION vector CASCADE"));
      assertThat(indexes(jdbi)).isEmpty();
      assertThat(MemoryStore.open(jdbi, Embedders.local()).backend())
          .isEqualTo(MemoryStore.Backend.EXACT);

      assertThat(database.migrate()).as("no migration is pending").isZero();
      assertThat(indexes(jdbi)).containsExactly("document_chunks_embedding", "memories_embedding");
      assertThat(MemoryStore.open(jdbi, Embedders.local()).backend())
          .isEqualTo(MemoryStore.Backend.PGVECTOR_HNSW);
    }
  }

  private static List<String> indexes(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery(INDEXES).mapTo(String.class).list());
  }
}
