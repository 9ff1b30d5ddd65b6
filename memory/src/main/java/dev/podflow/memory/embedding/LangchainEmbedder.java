package dev.podflow.memory.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An {@link Embedder} on a langchain4j {@link EmbeddingModel}: the in-process all-MiniLM-L6-v2 or
 * an OpenAI-compatible endpoint ({@link Embedders}). Checks each answer's count and dimension, so a
 * model that answers otherwise fails here with its name, not at an insert.
 */
final class LangchainEmbedder implements Embedder {
  private final Supplier<EmbeddingModel> load;
  private final String name;
  private final int dimension;
  private EmbeddingModel model;

  /** {@code load} makes the model on first use (an in-process model takes a second to load). */
  LangchainEmbedder(Supplier<EmbeddingModel> load, String name, int dimension) {
    this.load = load;
    this.name = name;
    this.dimension = dimension;
  }

  private synchronized EmbeddingModel loaded() {
    if (model == null) model = load.get();
    return model;
  }

  @Override
  public String model() {
    return name;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) return List.of();
    List<Embedding> embeddings;
    try {
      embeddings = loaded().embedAll(texts.stream().map(TextSegment::from).toList()).content();
    } catch (RuntimeException e) {
      throw new EmbeddingFailedException(
          "embedding model '" + name + "' failed: " + e.getMessage(), e);
    }
    if (embeddings == null || embeddings.size() != texts.size()) {
      throw new EmbeddingFailedException(
          "embedding model '"
              + name
              + "' answered "
              + (embeddings == null ? 0 : embeddings.size())
              + " vectors for "
              + texts.size()
              + " texts",
          null);
    }
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      float[] v = e.vector();
      if (v.length != dimension) {
        throw new EmbeddingFailedException(
            "embedding model '"
                + name
                + "' answered a vector of "
                + v.length
                + " dimensions; Podflow's memory stores "
                + dimension,
            null);
      }
      vectors.add(v);
    }
    return vectors;
  }
}
