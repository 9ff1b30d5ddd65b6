package dev.podflow.memory.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * The embedder a process uses, from its settings. By default the in-process all-MiniLM-L6-v2
 * (English-first; an ONNX model inside a jar, no network). {@code PODFLOW_EMBEDDING_BASE_URL} and
 * {@code PODFLOW_EMBEDDING_MODEL} (with {@code PODFLOW_EMBEDDING_API_KEY} if the endpoint needs
 * one) choose an OpenAI-compatible {@code /embeddings} endpoint instead, for example a multilingual
 * model; it must give {@value Embedder#DIMENSION}-dimension vectors, which {@link #checked} asks it
 * once at start, so a wrong model is a configuration error naming the variable.
 */
public final class Embedders {
  /** The name rows embedded in-process record. */
  public static final String LOCAL_MODEL = "all-minilm-l6-v2";

  private static Embedder local;

  private Embedders() {}

  /**
   * The in-process all-MiniLM-L6-v2, one per JVM (loading it takes about a second and 90 MB, and
   * one model serves many threads), loaded when it first embeds.
   */
  public static synchronized Embedder local() {
    if (local == null) {
      local =
          new LangchainEmbedder(AllMiniLmL6V2EmbeddingModel::new, LOCAL_MODEL, Embedder.DIMENSION);
    }
    return local;
  }

  /**
   * The embedder {@code PODFLOW_EMBEDDING_*} names, checked ({@link #checked}).
   *
   * @throws InvalidConfigurationException naming the variable and the fix
   */
  public static Embedder fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    String baseUrl = env.text("PODFLOW_EMBEDDING_BASE_URL");
    String model = env.text("PODFLOW_EMBEDDING_MODEL");
    if (baseUrl == null) {
      if (model != null && !model.equals(LOCAL_MODEL)) {
        throw new InvalidConfigurationException(
            "PODFLOW_EMBEDDING_MODEL='"
                + model
                + "' needs PODFLOW_EMBEDDING_BASE_URL (an OpenAI-compatible endpoint serving it);"
                + " unset it to embed in-process with "
                + LOCAL_MODEL);
      }
      return local();
    }
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new InvalidConfigurationException(
          "PODFLOW_EMBEDDING_BASE_URL must be an http:// or https:// URL such as"
              + " https://api.openai.com/v1, got '"
              + baseUrl
              + "'");
    }
    if (model == null) {
      throw new InvalidConfigurationException(
          "PODFLOW_EMBEDDING_BASE_URL needs PODFLOW_EMBEDDING_MODEL, the model to ask for (one"
              + " that gives "
              + Embedder.DIMENSION
              + "-dimension vectors)");
    }
    String apiKey = env.text("PODFLOW_EMBEDDING_API_KEY");
    OpenAiEmbeddingModel endpoint =
        OpenAiEmbeddingModel.builder()
            .baseUrl(baseUrl)
            .apiKey(apiKey == null ? "none" : apiKey)
            .modelName(model)
            .timeout(
                env.seconds("PODFLOW_EMBEDDING_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 600))
            .maxRetries(env.integer("PODFLOW_EMBEDDING_MAX_RETRIES", 3, 0, 20))
            .build();
    return checked(
        new LangchainEmbedder(() -> endpoint, model, Embedder.DIMENSION),
        "PODFLOW_EMBEDDING_MODEL");
  }

  /**
   * {@code embedder}, once it has embedded a probe text with {@link Embedder#DIMENSION} dimensions.
   *
   * @throws InvalidConfigurationException when it answers another dimension or cannot be reached
   */
  static Embedder checked(Embedder embedder, String variable) {
    try {
      embedder.embed("probe");
    } catch (EmbeddingFailedException e) {
      throw new InvalidConfigurationException(
          variable
              + "='"
              + embedder.model()
              + "' cannot serve Podflow's memory: "
              + e.getMessage()
              + " (Podflow's memory stores "
              + Embedder.DIMENSION
              + "-dimension vectors; choose a model that gives them, or unset"
              + " PODFLOW_EMBEDDING_BASE_URL to embed in-process with "
              + LOCAL_MODEL
              + ")");
    }
    return embedder;
  }
}
