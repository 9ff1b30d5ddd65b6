package dev.podflow.memory;

import dev.podflow.store.Environment;
import java.util.Map;

/**
 * How recall behaves, from {@code PODFLOW_MEMORY_*}: at most {@code topK} memories ({@code
 * PODFLOW_MEMORY_TOP_K}, default 5), each at least {@code minScore} similar to the step ({@code
 * PODFLOW_MEMORY_MIN_SCORE}, default 0.35), together at most {@code tokenBudget} tokens (estimated
 * as characters / 4; {@code PODFLOW_MEMORY_TOKEN_BUDGET}, default 600); a new memory at least
 * {@code duplicateScore} similar to one in its scope updates it instead ({@code
 * PODFLOW_MEMORY_DUPLICATE_SCORE}, default 0.92).
 */
public record MemorySettings(int topK, double minScore, int tokenBudget, double duplicateScore) {
  public static MemorySettings fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    return new MemorySettings(
        env.integer("PODFLOW_MEMORY_TOP_K", 5, 1, 50),
        env.fraction("PODFLOW_MEMORY_MIN_SCORE", 0.35),
        env.integer("PODFLOW_MEMORY_TOKEN_BUDGET", 600, 50, 20_000),
        env.fraction("PODFLOW_MEMORY_DUPLICATE_SCORE", 0.92));
  }
}
