package dev.podflow.memory;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.EmbeddingFailedException;
import dev.podflow.store.memory.DocumentDao;
import dev.podflow.store.memory.DocumentToEmbed;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks and embeds documents on a pod: claims one ({@link DocumentDao#documentClaim}), cuts it
 * with langchain4j's recursive splitter (paragraphs, then lines, sentences and words; about {@value
 * #CHUNK_CHARS} characters with {@value #OVERLAP_CHARS} of overlap), and embeds the chunks {@value
 * #BATCH} at a time, each batch written in one transaction behind a fenced progress write that also
 * renews the lease. A pod that loses its lease stops at its next batch; the attempt that took over
 * starts again from no chunks. Thread-safe.
 */
final class DocumentIngester {
  static final int CHUNK_CHARS = 800;
  static final int OVERLAP_CHARS = 100;
  static final int BATCH = 16;
  static final int LEASE_SECONDS = 60;
  static final int MAX_ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(DocumentIngester.class);

  private final Jdbi jdbi;
  private final Embedder embedder;
  private final DocumentSplitter splitter = DocumentSplitters.recursive(CHUNK_CHARS, OVERLAP_CHARS);

  DocumentIngester(Jdbi jdbi, Embedder embedder) {
    this.jdbi = jdbi;
    this.embedder = embedder;
  }

  /** Chunks and embeds the next waiting document, if there is one; whether there was. */
  boolean ingestNext(String podId) {
    Optional<DocumentToEmbed> claimed =
        jdbi.withExtension(DocumentDao.class, dao -> dao.documentClaim(podId, LEASE_SECONDS));
    if (claimed.isEmpty()) return false;
    DocumentToEmbed document = claimed.get();
    try {
      ingest(document);
    } catch (EmbeddingFailedException | IllegalArgumentException e) {
      jdbi.useExtension(
          DocumentDao.class,
          dao ->
              dao.documentFailed(document.id(), document.attempt(), e.getMessage(), MAX_ATTEMPTS));
      LOG.warn(
          "[memory] document {} attempt {} failed: {}",
          document.id(),
          document.attempt(),
          e.getMessage());
    }
    return true;
  }

  private void ingest(DocumentToEmbed document) {
    List<String> chunks =
        splitter.split(Document.from(document.content())).stream()
            .map(TextSegment::text)
            .filter(text -> !text.isBlank())
            .toList();
    if (!write(document, chunks.size(), 0, List.of(), List.of(), true)) return;
    for (int from = 0; from < chunks.size(); from += BATCH) {
      List<String> batch = chunks.subList(from, Math.min(from + BATCH, chunks.size()));
      List<float[]> vectors = embedder.embed(batch);
      if (!write(document, chunks.size(), from, batch, vectors, false)) return;
    }
    boolean ready =
        jdbi.withExtension(
            DocumentDao.class, dao -> dao.documentReady(document.id(), document.attempt()));
    if (ready) LOG.info("[memory] document {} ready: {} chunks", document.id(), chunks.size());
  }

  /**
   * One fenced write: progress (and the lease), then the batch's chunks (the first write clears an
   * earlier attempt's instead); false, with nothing written, when another attempt owns the
   * document.
   */
  private boolean write(
      DocumentToEmbed document,
      int total,
      int from,
      List<String> batch,
      List<float[]> vectors,
      boolean first) {
    boolean owned =
        jdbi.inTransaction(
            h -> {
              DocumentDao dao = h.attach(DocumentDao.class);
              int embedded = from + batch.size();
              if (!dao.documentProgress(
                  document.id(), document.attempt(), total, embedded, LEASE_SECONDS)) {
                return false;
              }
              if (first) dao.documentChunksClear(document.id());
              for (int i = 0; i < batch.size(); i++) {
                dao.documentChunkInsert(
                    document.id(),
                    document.tenantId(),
                    from + i,
                    batch.get(i),
                    vectors.get(i),
                    embedder.model());
              }
              return true;
            });
    if (!owned) {
      LOG.info(
          "[memory] document {} attempt {} was taken over by another pod; stopping",
          document.id(),
          document.attempt());
    }
    return owned;
  }
}
