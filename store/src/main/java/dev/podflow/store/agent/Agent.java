package dev.podflow.store.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An agent profile as stored in {@code agents}: persona and instructions go into every prompt the
 * agent gets; {@code model} is null when the agent uses the pod's configured model; {@code tools}
 * is a JSON array of tool names. {@code a2a} is null, or {@code {"agentCardUrl", "credentials"?}}
 * for an agent that is a remote A2A peer ({@code a2a} steps name it), {@code credentials} naming
 * the tenant's secret sent as its bearer token. {@code memory} is null (recall as the pod's
 * settings say) or the agent's recall profile ({@code dev.podflow.memory.RecallProfile}).
 */
public record Agent(
    String id,
    String name,
    String persona,
    String instructions,
    String model,
    JsonNode tools,
    String orchestrator,
    JsonNode a2a,
    JsonNode memory,
    Instant createdAt,
    Instant updatedAt) {}
