package dev.podflow.store.memory;

import com.pgvector.PGvector;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Documents agents recall from ({@code documents}, {@code document_chunks}, V23): the API adds,
 * lists, shows and deletes them ({@link Document}, never the content); the pods chunk and embed
 * them: a pod claims one (QUEUED, or EMBEDDING with its lease run out) with {@code SKIP LOCKED},
 * which counts an attempt; every later write names that attempt and changes nothing once another
 * pod has claimed the document since (the fence), so a pod that lost its lease cannot mix its
 * chunks into the new attempt's. A jdbi SQL object; SQL in {@code DocumentDao/*.sql}.
 */
public interface DocumentDao {

  /** Adds a QUEUED document for a pod to chunk and embed. */
  @SqlQuery
  Document documentInsert(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("title") String title,
      @Bind("mediaType") String mediaType,
      @Bind("content") String content,
      @Bind("createdBy") String createdBy);

  /**
   * A page of the tenant's documents, newest first by (created_at, id), after the given position
   * (none when {@code afterCreatedAt} is null).
   */
  @SqlQuery
  List<Document> documentList(
      @Bind("tenantId") String tenantId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") Long afterId,
      @Bind("limit") int limit);

  @SqlQuery
  Optional<Document> documentGet(@Bind("tenantId") String tenantId, @Bind("id") long id);

  /**
   * Deletes document {@code id} and, by cascade, its chunks, whatever its status: a pod embedding
   * it finds no row at its next fenced write ({@link #documentProgress}) and stops. The document as
   * it was, if it existed.
   */
  @SqlQuery
  Optional<Document> documentDelete(@Bind("tenantId") String tenantId, @Bind("id") long id);

  /** The next document to chunk and embed, claimed for {@code leaseSeconds}. */
  @SqlQuery
  Optional<DocumentToEmbed> documentClaim(
      @Bind("podId") String podId, @Bind("leaseSeconds") int leaseSeconds);

  /**
   * Records progress of attempt {@code attempt} (chunks in all, chunks embedded) and renews its
   * lease; false when the attempt is no longer the document's (nothing changed).
   */
  @SqlUpdate
  boolean documentProgress(
      @Bind("id") long id,
      @Bind("attempt") int attempt,
      @Bind("chunks") int chunks,
      @Bind("embedded") int embedded,
      @Bind("leaseSeconds") int leaseSeconds);

  /** Removes the chunks an earlier attempt left; run after a successful progress write. */
  @SqlUpdate
  void documentChunksClear(@Bind("documentId") long documentId);

  @SqlUpdate
  void documentChunkInsert(
      @Bind("documentId") long documentId,
      @Bind("tenantId") String tenantId,
      @Bind("ordinal") int ordinal,
      @Bind("content") String content,
      @Bind("embedding") float[] embedding,
      @Bind("model") String model);

  /** Attempt {@code attempt} finished: READY; false when it was not the document's any more. */
  @SqlUpdate
  boolean documentReady(@Bind("id") long id, @Bind("attempt") int attempt);

  /**
   * Attempt {@code attempt} failed: QUEUED again, or FAILED for good once {@code maxAttempts} are
   * used; the error is kept either way.
   */
  @SqlUpdate
  boolean documentFailed(
      @Bind("id") long id,
      @Bind("attempt") int attempt,
      @Bind("error") String error,
      @Bind("maxAttempts") int maxAttempts);

  /**
   * Queues {@code tenantId}'s READY documents with chunks of a model other than {@code model}
   * (every one, when it is null) to be chunked and embedded again; how many.
   */
  @SqlUpdate
  int documentsMarkForReembedding(@Bind("tenantId") String tenantId, @Bind("model") String model);

  /** Whether the tenant has a READY document that {@code agentId} recalls from. */
  @SqlQuery
  boolean documentAnyReady(@Bind("tenantId") String tenantId, @Bind("agentId") String agentId);

  /**
   * The {@code limit} chunks of READY documents nearest {@code query} with a similarity of at least
   * {@code minScore}: documents of the tenant for every agent and for {@code agentId}.
   */
  @SqlQuery
  List<RecalledChunk> chunkRecallIndexed(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("query") PGvector query,
      @Bind("minScore") double minScore,
      @Bind("limit") int limit);

  /** {@link #chunkRecallIndexed} without pgvector. */
  @SqlQuery
  List<RecalledChunk> chunkRecallExact(
      @Bind("tenantId") String tenantId,
      @Bind("agentId") String agentId,
      @Bind("query") float[] query,
      @Bind("minScore") double minScore,
      @Bind("limit") int limit);
}
