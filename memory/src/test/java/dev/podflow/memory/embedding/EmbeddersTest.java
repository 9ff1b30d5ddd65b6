package dev.podflow.memory.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.testing.ScriptedLlmServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddersTest {
  @Test
  void theInProcessModelPutsRelatedTextsNearerThanUnrelatedOnes() {
    Embedder local = Embedders.fromEnvironment(Map.of());
    assertThat(local.model()).isEqualTo(Embedders.LOCAL_MODEL);
    List<float[]> v =
        local.embed(
            List.of(
                "Invoices must be paid within 30 days.",
                "Payment of a bill is due one month after it is issued.",
                "The cat sleeps on the warm windowsill."));
    assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(Embedder.DIMENSION));
    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void anOpenAiCompatibleEndpointReplacesItByConfiguration() {
    try (ScriptedLlmServer server = ScriptedLlmServer.start()) {
      Embedder remote =
          Embedders.fromEnvironment(
              Map.of(
                  "PODFLOW_EMBEDDING_BASE_URL",
                  server.baseUrl(),
                  "PODFLOW_EMBEDDING_MODEL",
                  "text-embedding-test"));
      assertThat(remote.model()).isEqualTo("text-embedding-test");
      float[] a = remote.embed("late invoice payment");
      float[] b = remote.embed("invoice payment reminder");
      assertThat(a).hasSize(Embedder.DIMENSION);
      assertThat(cosine(a, b)).isGreaterThan(0.5);
      assertThat(server.embeddingRequests()).isEqualTo(3); // the start's probe, then two
    }
  }

  @Test
  void aModelOfAnotherDimensionIsAConfigurationErrorAtStartNotACrashAtInsert() {
    try (ScriptedLlmServer server = ScriptedLlmServer.start().embeddingDimension(768)) {
      assertThatThrownBy(
              () ->
                  Embedders.fromEnvironment(
                      Map.of(
                          "PODFLOW_EMBEDDING_BASE_URL", server.baseUrl(),
                          "PODFLOW_EMBEDDING_MODEL", "big-model",
                          "PODFLOW_EMBEDDING_API_KEY", "sk-secret-123")))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("PODFLOW_EMBEDDING_MODEL='big-model'")
          .hasMessageContaining("768 dimensions")
          .hasMessageContaining("384")
          .hasMessageNotContaining("sk-secret-123");
    }
  }

  @Test
  void settingsThatCannotWorkAreRefusedWithTheFix() {
    assertThatThrownBy(() -> Embedders.fromEnvironment(Map.of("PODFLOW_EMBEDDING_MODEL", "bge-m3")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("needs PODFLOW_EMBEDDING_BASE_URL");
    assertThatThrownBy(
            () -> Embedders.fromEnvironment(Map.of("PODFLOW_EMBEDDING_BASE_URL", "localhost:1")))
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(
            () ->
                Embedders.fromEnvironment(
                    Map.of("PODFLOW_EMBEDDING_BASE_URL", "http://127.0.0.1:9/v1")))
        .hasMessageContaining("needs PODFLOW_EMBEDDING_MODEL");
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
