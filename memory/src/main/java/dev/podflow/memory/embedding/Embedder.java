package dev.podflow.memory.embedding;

import java.util.List;

/**
 * Turns texts into vectors for memory and document search. Every vector it returns has {@link
 * #dimension()} components; each stored row records {@link #model()}, so rows embedded by another
 * model can be found and embedded again. Implementations are thread-safe.
 */
public interface Embedder {
  /** The dimension Podflow's memory stores and indexes (all-MiniLM-L6-v2's). */
  int DIMENSION = 384;

  /** The name stored with every row this embedder embedded. */
  String model();

  /** Components of every vector. */
  int dimension();

  /**
   * One vector per text, in order.
   *
   * @throws EmbeddingFailedException when the model or the endpoint fails
   */
  List<float[]> embed(List<String> texts);

  /** One text's vector. */
  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }
}
