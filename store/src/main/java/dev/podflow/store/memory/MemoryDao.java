package dev.podflow.store.memory;

import com.pgvector.PGvector;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What agents learned ({@code memories}, V23): the API adds memories without an embedding; pods
 * claim them, embed them and store the vector, or fold a near-duplicate into the memory it repeats;
 * recall ranks an agent's memories by cosine similarity to a query. Embeddings are stored as {@code
 * real[]} (bound as {@code float[]}), so the table exists without pgvector. Each search comes
 * twice: {@code …Indexed} takes a pgvector {@link PGvector} and orders by its {@code <=>} on {@code
 * embedding::vector(384)}, which the HNSW index serves; {@code …Exact} takes a {@code float[]} and
 * computes {@code podflow_cosine} over every candidate, for a server without pgvector. A jdbi SQL
 * object; SQL in {@code MemoryDao/*.sql}.
 */
public interface MemoryDao {

  /** Adds a memory, to be embedded by a pod; its id. */
  @SqlUpdate
  @GetGeneratedKeys("id")
  long memoryInsert(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("userId") String userId,
      @Bind("definitionId") String definitionId,
      @Bind("source") String source,
      @Bind("content") String content,
      @Bind("taskId") Long taskId,
      @Bind("createdBy") String createdBy);

  /**
   * A page of {@code agentId}'s memories, newest first by (created_at, id), after the given
   * position (none when {@code afterCreatedAt} is null): every user's when {@code everyUser}, else
   * the whole agent's and {@code userId}'s.
   */
  @SqlQuery
  List<Memory> memoryList(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("everyUser") boolean everyUser,
      @Bind("userId") String userId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") Long afterId,
      @Bind("limit") int limit);

  /** Memory {@code id} of {@code agentId}. */
  @SqlQuery
  Optional<Memory> memoryGet(
      @Bind("tenantId") String tenantId, @Bind("agentId") String agentId, @Bind("id") long id);

  /**
   * Deletes memory {@code id} of {@code agentId}, only if it is {@code userId}'s when that is given
   * (null: whoever's); whether it did.
   */
  @SqlUpdate
  boolean memoryDelete(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("id") long id,
      @Bind("userId") String userId);

  /** Makes memory {@code id} the whole agent's (user_id null); the memory, if it exists. */
  @SqlQuery
  Optional<Memory> memoryPromote(
      @Bind("tenantId") String tenantId, @Bind("agentId") String agentId, @Bind("id") long id);

  /**
   * Up to {@code limit} memories of any tenant without an embedding or marked to embed again, each
   * put off for a minute (so a pod that dies holding them delays them by no more) and counted as an
   * attempt.
   */
  @SqlQuery
  List<MemoryToEmbed> memoryClaimToEmbed(@Bind("limit") int limit);

  /**
   * Holds, until the transaction ends, the lock under which one agent's memories are checked for
   * near-duplicates and written.
   */
  @SqlQuery
  String memoryLockAgent(@Bind("tenantId") String tenantId, @Bind("agentId") String agentId);

  /**
   * Marks {@code tenantId}'s memories embedded by a model other than {@code model} (every one, when
   * it is null) to be embedded again; how many.
   */
  @SqlUpdate
  int memoryMarkForReembedding(@Bind("tenantId") String tenantId, @Bind("model") String model);

  /** Stores a memory's embedding and the model that made it. */
  @SqlUpdate
  void memoryEmbedded(
      @Bind("id") long id, @Bind("embedding") float[] embedding, @Bind("model") String model);

  /** Embedding failed; tried again in {@code delaySeconds}. */
  @SqlUpdate
  void memoryEmbedFailed(
      @Bind("id") long id, @Bind("error") String error, @Bind("delaySeconds") int delaySeconds);

  /**
   * The embedded memory in the same scope (tenant, agent, user, definition) most similar to {@code
   * embedding}, other than {@code id}, if its similarity is at least {@code minScore}.
   */
  @SqlQuery
  Optional<RecalledMemory> memoryNearDuplicateIndexed(
      @Bind("id") long id,
      @Bind("embedding") PGvector embedding,
      @Bind("minScore") double minScore);

  /** {@link #memoryNearDuplicateIndexed} without pgvector. */
  @SqlQuery
  Optional<RecalledMemory> memoryNearDuplicateExact(
      @Bind("id") long id, @Bind("embedding") float[] embedding, @Bind("minScore") double minScore);

  /**
   * Folds memory {@code duplicateId} into {@code keptId}: the kept one takes the newer content, its
   * embedding and source task; the feedback that pointed at the duplicate points at it; the
   * duplicate is deleted.
   */
  @SqlUpdate
  void memoryFold(
      @Bind("keptId") long keptId,
      @Bind("duplicateId") long duplicateId,
      @Bind("embedding") float[] embedding,
      @Bind("model") String model);

  /**
   * The {@code limit} embedded memories of {@code agentId} most similar to {@code query}, with a
   * similarity of at least {@code minScore}: those of the whole agent and of {@code userId}, of
   * every definition and of {@code definitionId}, from one of {@code sources}.
   */
  @SqlQuery
  List<RecalledMemory> memoryRecallIndexed(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("userId") String userId,
      @Bind("definitionId") String definitionId,
      @Bind("sources") String[] sources,
      @Bind("query") PGvector query,
      @Bind("minScore") double minScore,
      @Bind("limit") int limit);

  /**
   * Whether {@code agentId} has an embedded memory from one of {@code sources} that {@code
   * userId}'s runs would recall.
   */
  @SqlQuery
  boolean memoryAgentHasAny(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("userId") String userId,
      @Bind("sources") String[] sources);

  /** {@link #memoryRecallIndexed} without pgvector. */
  @SqlQuery
  List<RecalledMemory> memoryRecallExact(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("userId") String userId,
      @Bind("definitionId") String definitionId,
      @Bind("sources") String[] sources,
      @Bind("query") float[] query,
      @Bind("minScore") double minScore,
      @Bind("limit") int limit);

  /**
   * Sets this transaction's HNSW scans: a candidate list of {@code efSearch}, and scanning past
   * candidates the filters reject.
   */
  @SqlQuery
  List<String> memoryHnswScan(@Bind("efSearch") int efSearch);

  /** Whether this database has the HNSW index on memories (pgvector installed when migrating). */
  @SqlQuery
  boolean memoryIndexExists();
}
