package dev.podflow.memory;

import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.EmbeddingFailedException;
import dev.podflow.store.memory.DocumentDao;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.MemoryToEmbed;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledMemory;
import dev.podflow.store.memory.Vectors;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' memories in the database: pods embed what the API added ({@link #embedPending}), folding
 * a near-duplicate (cosine at least {@link #duplicateThreshold}) into the memory it repeats, and
 * recall ranks an agent's memories against a text ({@link #recall}). The search is pgvector's HNSW
 * index where the migration found pgvector, else an exact cosine over the scope's rows ({@link
 * Backend}, logged at start). The near-duplicate check and its write run under a per-agent advisory
 * lock, so two pods embedding two copies of one correction at once keep one. Thread-safe.
 */
public final class MemoryStore {
  /** How searches run on this database. */
  public enum Backend {
    /** pgvector's HNSW index on {@code embedding::vector(384)}. */
    PGVECTOR_HNSW,
    /** An exact cosine over every candidate row (no pgvector: e.g. the embedded PostgreSQL). */
    EXACT
  }

  private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);

  private final Jdbi jdbi;
  private final Embedder embedder;
  private final double duplicateThreshold;
  private final Backend backend;
  private final DocumentIngester ingester;

  private MemoryStore(Jdbi jdbi, Embedder embedder, double duplicateThreshold, Backend backend) {
    this.jdbi = jdbi;
    this.embedder = embedder;
    this.duplicateThreshold = duplicateThreshold;
    this.backend = backend;
    this.ingester = new DocumentIngester(jdbi, embedder);
  }

  /** Finds out which backend this database offers and says so in the log. */
  public static MemoryStore open(Jdbi jdbi, Embedder embedder, double duplicateThreshold) {
    boolean indexed = jdbi.withExtension(MemoryDao.class, MemoryDao::memoryIndexExists);
    Backend backend = indexed ? Backend.PGVECTOR_HNSW : Backend.EXACT;
    LOG.info(
        "[memory] {} with {} ({} dimensions)",
        indexed
            ? "recall through pgvector's HNSW index"
            : "recall by exact cosine search (no pgvector in this database)",
        embedder.model(),
        embedder.dimension());
    return new MemoryStore(jdbi, embedder, duplicateThreshold, backend);
  }

  public Backend backend() {
    return backend;
  }

  public double duplicateThreshold() {
    return duplicateThreshold;
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
    for (int i = 0; i < due.size(); i++) store(due.get(i), Vectors.literal(vectors.get(i)));
    return due.size();
  }

  private void store(MemoryToEmbed memory, String embedding) {
    jdbi.useTransaction(
        h -> {
          MemoryDao dao = h.attach(MemoryDao.class);
          dao.memoryLockAgent(memory.tenantId(), memory.agentId());
          dao.memoryEmbedded(memory.id(), embedding, embedder.model());
          Optional<RecalledMemory> duplicate =
              backend == Backend.PGVECTOR_HNSW
                  ? dao.memoryNearDuplicateIndexed(memory.id(), embedding, duplicateThreshold)
                  : dao.memoryNearDuplicateExact(memory.id(), embedding, duplicateThreshold);
          duplicate.ifPresent(
              kept -> dao.memoryFold(kept.id(), memory.id(), embedding, embedder.model()));
        });
  }

  /**
   * The {@code limit} chunks of the tenant's READY documents (every agent's and {@code agentId}'s)
   * nearest {@code query}, a vector of {@link #embed}, with a similarity of at least {@code
   * minScore}, best first.
   */
  public List<RecalledChunk> recallChunks(
      String tenantId, String agentId, float[] query, int limit, double minScore) {
    String literal = Vectors.literal(query);
    return jdbi.inTransaction(
        h -> {
          DocumentDao dao = h.attach(DocumentDao.class);
          if (backend == Backend.EXACT) {
            return dao.chunkRecallExact(tenantId, agentId, literal, minScore, limit);
          }
          h.attach(MemoryDao.class).memoryIterativeScan();
          return dao.chunkRecallIndexed(tenantId, agentId, literal, minScore, limit);
        });
  }

  /**
   * Whether a recall for {@code agentId} and {@code userId} could find anything: an embedded memory
   * or a READY document (asked first, so that a step with nothing to recall embeds nothing).
   */
  public boolean anythingToRecall(String tenantId, String agentId, String userId) {
    return jdbi.withHandle(
        h ->
            h.attach(MemoryDao.class).memoryAgentHasAny(tenantId, agentId, userId)
                || h.attach(DocumentDao.class).documentAnyReady(tenantId, agentId));
  }

  /** {@code text}'s vector, for {@link #recall} and {@link #recallChunks}. */
  public float[] embed(String text) {
    return embedder.embed(text);
  }

  /** Chunks and embeds the next waiting document; whether there was one. */
  public boolean ingestNextDocument(String podId) {
    return ingester.ingestNext(podId);
  }

  /**
   * The {@code limit} memories of {@code agentId} nearest {@code vector} (of {@link #embed}) with a
   * similarity of at least {@code minScore}, best first: the agent's own, and {@code userId}'s
   * (null: none), for every definition and for {@code definitionId}.
   */
  public List<RecalledMemory> recall(
      String tenantId,
      String agentId,
      String userId,
      String definitionId,
      float[] vector,
      int limit,
      double minScore) {
    String query = Vectors.literal(vector);
    return jdbi.inTransaction(
        h -> {
          MemoryDao dao = h.attach(MemoryDao.class);
          if (backend == Backend.EXACT) {
            return dao.memoryRecallExact(
                tenantId, agentId, userId, definitionId, query, minScore, limit);
          }
          dao.memoryIterativeScan();
          return dao.memoryRecallIndexed(
              tenantId, agentId, userId, definitionId, query, minScore, limit);
        });
  }
}
