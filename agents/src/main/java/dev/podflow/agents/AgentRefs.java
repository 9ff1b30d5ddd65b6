package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.UploadCheck;

/**
 * An agent profile named in an activity's config ({@code llm-action}'s {@code agent}, {@code
 * deep-research}'s {@code agents}): an id at publish, an existing profile at upload.
 */
final class AgentRefs {
  private AgentRefs() {}

  /** At publish: {@code value} (at {@code pointer}) must be an agent id. */
  static void checkId(ConfigCheck check, String pointer, JsonNode value) {
    check.id(pointer, value, "an agent id");
  }

  /** At upload: the agent {@code value} names must exist in the uploading tenant. */
  static void checkExists(UploadCheck check, String pointer, JsonNode value) {
    if (value == null || !value.isTextual()) return; // checkConfig reported it
    if (!check.agentExists(value.asText())) {
      check.violation(
          pointer,
          "names unknown agent '" + value.asText() + "'; create it with POST /api/v1/agents");
    }
  }
}
