package dev.podflow.memory;

import com.pgvector.PGvector;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.EmbeddingFailedException;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.MemoryToEmbed;
import dev.podflow.store.memory.RecalledMemory;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods' bulk embedding (never the API's): memories the API added without an embedding, and
 * documents to chunk ({@link DocumentIngester}). A memory at least {@code duplicateScore} similar
 * to one already in its scope is folded into it; the check and its write run under a per-agent
 * advisory lock, so two pods embedding two copies of one correction at once keep one. Thread-safe.
 */
public final class PendingEmbeddings {
  private static final Logger LOG = LoggerFactory.getLogger(PendingEmbeddings.class);
  private static final int BATCH = 16;

  private final Jdbi jdbi;
  private final Embedder embedder;
  private final MemoryStore.Backend backend;
  private final double duplicateScore;
  private final DocumentIngester ingester;

  /** Embeds with {@code store}'s embedder, searching duplicates through its backend. */
  public PendingEmbeddings(MemoryStore store, double duplicateScore) {
    this.jdbi = store.jdbi();
    this.embedder = store.embedder();
    this.backend = store.backend();
    this.duplicateScore = duplicateScore;
    this.ingester = new DocumentIngester(jdbi, embedder);
  }

  /**
   * Embeds every waiting memory, {@value #BATCH} to a call of the model, then chunks and embeds
   * every waiting document, one at a time; whether there was anything.
   */
  public boolean drain(String podId) {
    boolean any = false;
    int claimed;
    do {
      claimed = embedPending(BATCH);
      any |= claimed > 0;
    } while (claimed == BATCH);
    while (ingester.ingestNext(podId)) any = true;
    return any;
  }

  /**
   * Embeds up to {@code limit} memories without an embedding (or marked to embed again), in one
   * call to the model; how many were claimed. A failing model puts them off (30 s) with the error
   * recorded.
   */
  public int embedPending(int limit) {
    List<MemoryToEmbed> due =
        jdbi.inTransaction(h -> h.attach(MemoryDao.class).memoryClaimToEmbed(limit));
    if (due.isEmpty()) return 0;
    List<float[]> vectors;
    try {
      vectors = embedder.embed(due.stream().map(MemoryToEmbed::content).toList());
    } catch (EmbeddingFailedException e) {
      jdbi.useExtension(
          MemoryDao.class,
          dao -> due.forEach(m -> dao.memoryEmbedFailed(m.id(), e.getMessage(), 30)));
      LOG.warn("[memory] embedding {} memories failed: {}", due.size(), e.getMessage());
      return due.size();
    }
    for (int i = 0; i < due.size(); i++) store(due.get(i), vectors.get(i));
    return due.size();
  }

  private void store(MemoryToEmbed memory, float[] embedding) {
    jdbi.useTransaction(
        h -> {
          MemoryDao dao = h.attach(MemoryDao.class);
          dao.memoryLockAgent(memory.tenantId(), memory.agentId());
          dao.memoryEmbedded(memory.id(), embedding, embedder.model());
          Optional<RecalledMemory> duplicate =
              backend == MemoryStore.Backend.PGVECTOR_HNSW
                  ? dao.memoryNearDuplicateIndexed(
                      memory.id(), new PGvector(embedding), duplicateScore)
                  : dao.memoryNearDuplicateExact(memory.id(), embedding, duplicateScore);
          duplicate.ifPresent(
              kept -> dao.memoryFold(kept.id(), memory.id(), embedding, embedder.model()));
        });
  }
}
