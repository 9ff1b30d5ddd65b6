package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How PODFLOW_LLM_* resolves to an {@link LlmConfig}. */
class LlmConfigTest {
  private static LlmConfig llm(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return LlmConfig.fromEnvironment(Map.copyOf(env));
  }

  @Test
  void nothingConfiguredRunsTheOfflineModel() {
    assertThat(llm().isOffline()).isTrue();
    assertThat(llm("PODFLOW_LLM_MODEL", "gpt-4o").isOffline()).isTrue();
  }

  @Test
  void openAiIsTheDefaultProviderAndAKeyIsEnough() {
    LlmConfig config = llm("OPENAI_API_KEY", "sk-test");
    assertThat(config.isOffline()).isFalse();
    assertThat(config.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(config.apiKey()).isEqualTo("sk-test");
    assertThat(config.model()).isEqualTo("gpt-4o-mini");

    LlmConfig explicit =
        llm(
            "PODFLOW_LLM_PROVIDER", "OpenAI",
            "PODFLOW_LLM_API_KEY", "sk-podflow",
            "OPENAI_API_KEY", "sk-other",
            "PODFLOW_LLM_BASE_URL", "https://openrouter.ai/api/v1/",
            "PODFLOW_LLM_MODEL", "meta/llama",
            "PODFLOW_LLM_MAX_RETRIES", "2",
            "PODFLOW_LLM_TIMEOUT_SECONDS", "5");
    assertThat(explicit.apiKey()).isEqualTo("sk-podflow");
    assertThat(explicit.baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(explicit.model()).isEqualTo("meta/llama");
    assertThat(explicit.maxRetries()).isEqualTo(2);
    assertThat(explicit.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void ollamaNeedsNoKeyAndDefaultsToTheLocalServer() {
    LlmConfig config = llm("PODFLOW_LLM_PROVIDER", "ollama");
    assertThat(config.isOffline()).isFalse();
    assertThat(config.baseUrl()).isEqualTo("http://localhost:11434/v1");
    assertThat(config.apiKey()).isNull();
    assertThat(config.model()).isEqualTo("llama3.2");
    assertThat(config.toString()).contains("localhost:11434", "llama3.2");
  }

  @Test
  void ollamaTakesItsUrlModelAndOwnKeyButNeverTheOpenAiKey() {
    LlmConfig config =
        llm(
            "PODFLOW_LLM_PROVIDER", " Ollama ",
            "PODFLOW_LLM_BASE_URL", "http://gpu-box:11434/v1/",
            "PODFLOW_LLM_MODEL", "qwen2.5:7b",
            "OPENAI_API_KEY", "sk-must-not-leak");
    assertThat(config.baseUrl()).isEqualTo("http://gpu-box:11434/v1");
    assertThat(config.model()).isEqualTo("qwen2.5:7b");
    assertThat(config.apiKey()).isNull();

    assertThat(llm("PODFLOW_LLM_PROVIDER", "ollama", "PODFLOW_LLM_API_KEY", "proxy-token").apiKey())
        .isEqualTo("proxy-token");
  }

  @Test
  void anOllamaUrlWithoutV1IsRefusedWithTheFix() {
    assertThatThrownBy(
            () ->
                llm(
                    "PODFLOW_LLM_PROVIDER",
                    "ollama",
                    "PODFLOW_LLM_BASE_URL",
                    "http://localhost:11434"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_LLM_BASE_URL", "/v1", "http://localhost:11434/v1");
  }

  @Test
  void anUnknownProviderIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> llm("PODFLOW_LLM_PROVIDER", "anthropic"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_LLM_PROVIDER", "'openai'", "'ollama'", "got 'anthropic'");
  }

  @Test
  void anExplicitOpenAiProviderWithoutKeyOrUrlIsRefusedRatherThanGoingOffline() {
    assertThatThrownBy(() -> llm("PODFLOW_LLM_PROVIDER", "openai"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_LLM_API_KEY", "unset PODFLOW_LLM_PROVIDER");
  }

  @Test
  void aBaseUrlThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> llm("PODFLOW_LLM_BASE_URL", "localhost:8000/v1"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_LLM_BASE_URL must be an http:// or https:// URL");
  }
}
