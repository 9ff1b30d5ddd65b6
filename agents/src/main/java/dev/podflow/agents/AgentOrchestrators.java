package dev.podflow.agents;

import dev.podflow.engine.orchestrator.Orchestrator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrators that need an LLM, built from configuration; the launcher adds them to the ones
 * {@link dev.podflow.engine.orchestrator.OrchestratorRegistry#discover()} finds.
 */
public final class AgentOrchestrators {
  private static final Logger log = LoggerFactory.getLogger(AgentOrchestrators.class);

  private AgentOrchestrators() {}

  public static List<Orchestrator> create(LlmConfig config, Jdbi jdbi, MeterRegistry metrics) {
    if (config.isOffline()) {
      log.warn(
          "[llm] no LLM endpoint configured (PODFLOW_LLM_API_KEY or OPENAI_API_KEY,"
              + " PODFLOW_LLM_BASE_URL, or PODFLOW_LLM_PROVIDER=ollama): llm-action and"
              + " deep-research run the built-in OFFLINE model — deterministic"
              + " placeholder answers, not a real LLM; its calls are labelled model=offline");
    } else {
      log.info("[llm] llm-action and deep-research use {}", config);
    }
    LlmClient llm = new LlmClient(config, metrics);
    return List.of(
        new LlmActionOrchestrator(jdbi, llm, Clock.systemUTC()),
        new DeepResearchOrchestrator(jdbi, llm));
  }
}
