package dev.podflow.memory;

import com.pgvector.PGvector;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.store.memory.DocumentDao;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledMemory;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searching agents' memories and documents: recall ranks an agent's memories ({@link #recall}) and
 * the tenant's document chunks ({@link #recallChunks}) against a vector of {@link #embed}. The
 * search is pgvector's HNSW index where the migration found pgvector, else an exact cosine over the
 * scope's rows ({@link Backend}, logged at start). The API searches with one of these; pods also
 * embed what the API added ({@link PendingEmbeddings}). Thread-safe.
 */
public final class MemoryStore {
  /** How searches run on this database. */
  public enum Backend {
    /** pgvector's HNSW index on {@code embedding::vector(384)}. */
    PGVECTOR_HNSW,
    /** An exact cosine over every candidate row (no pgvector: e.g. the embedded PostgreSQL). */
    EXACT
  }

  /**
   * The candidate list of each HNSW search: at 100,000 memories pgvector's default 40 returned 0.85
   * of the exact ten nearest in the bench, this 0.99, for 1.8 ms more at p50.
   */
  public static final int EF_SEARCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);

  private final Jdbi jdbi;
  private final Embedder embedder;
  private final Backend backend;

  private MemoryStore(Jdbi jdbi, Embedder embedder, Backend backend) {
    this.jdbi = jdbi;
    this.embedder = embedder;
    this.backend = backend;
  }

  /** Finds out which backend this database offers and says so in the log. */
  public static MemoryStore open(Jdbi jdbi, Embedder embedder) {
    boolean indexed = jdbi.withExtension(MemoryDao.class, MemoryDao::memoryIndexExists);
    Backend backend = indexed ? Backend.PGVECTOR_HNSW : Backend.EXACT;
    LOG.info(
        "[memory] {} with {} ({} dimensions)",
        indexed
            ? "recall through pgvector's HNSW index"
            : "recall by exact cosine search (no pgvector in this database)",
        embedder.model(),
        embedder.dimension());
    return new MemoryStore(jdbi, embedder, backend);
  }

  public Backend backend() {
    return backend;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  Embedder embedder() {
    return embedder;
  }

  /**
   * The {@code limit} chunks of the tenant's READY documents (every agent's and {@code agentId}'s)
   * nearest {@code query}, a vector of {@link #embed}, with a similarity of at least {@code
   * minScore}, best first.
   */
  public List<RecalledChunk> recallChunks(
      String tenantId, String agentId, float[] query, int limit, double minScore) {
    return jdbi.inTransaction(
        h -> {
          DocumentDao dao = h.attach(DocumentDao.class);
          if (backend == Backend.EXACT) {
            return dao.chunkRecallExact(tenantId, agentId, query, minScore, limit);
          }
          h.attach(MemoryDao.class).memoryHnswScan(EF_SEARCH);
          return dao.chunkRecallIndexed(tenantId, agentId, new PGvector(query), minScore, limit);
        });
  }

  /**
   * Whether a recall for {@code agentId} and {@code userId} could find anything: an embedded memory
   * from one of {@code sources}, or a READY document when {@code documents} (asked first, so that a
   * step with nothing to recall embeds nothing).
   */
  public boolean anythingToRecall(
      String tenantId, String agentId, String userId, Set<String> sources, boolean documents) {
    return jdbi.withHandle(
        h ->
            h.attach(MemoryDao.class).memoryAgentHasAny(tenantId, agentId, userId, array(sources))
                || documents && h.attach(DocumentDao.class).documentAnyReady(tenantId, agentId));
  }

  /** {@code text}'s vector, for {@link #recall} and {@link #recallChunks}. */
  public float[] embed(String text) {
    return embedder.embed(text);
  }

  /**
   * The {@code limit} memories of {@code agentId} nearest {@code vector} (of {@link #embed}) with a
   * similarity of at least {@code minScore}, best first: the agent's own, and {@code userId}'s
   * (null: none), for every definition and for {@code definitionId}, from one of {@code sources}
   * ({@link RecallProfile#SOURCES}: all).
   */
  public List<RecalledMemory> recall(
      String tenantId,
      String agentId,
      String userId,
      String definitionId,
      Set<String> sources,
      float[] vector,
      int limit,
      double minScore) {
    return jdbi.inTransaction(
        h -> {
          MemoryDao dao = h.attach(MemoryDao.class);
          if (backend == Backend.EXACT) {
            return dao.memoryRecallExact(
                tenantId, agentId, userId, definitionId, array(sources), vector, minScore, limit);
          }
          dao.memoryHnswScan(EF_SEARCH);
          return dao.memoryRecallIndexed(
              tenantId,
              agentId,
              userId,
              definitionId,
              array(sources),
              new PGvector(vector),
              minScore,
              limit);
        });
  }

  private static String[] array(Set<String> sources) {
    return sources.toArray(String[]::new);
  }
}
