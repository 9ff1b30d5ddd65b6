package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.ConfigCheck;

/**
 * An agent profile named in an activity's config ({@code llm-action}'s {@code agent}, {@code
 * deep-research}'s {@code agents}): an id at publish; at upload, an existing profile ({@link
 * dev.podflow.engine.definition.UploadCheck#knownAgent}).
 */
final class AgentRefs {
  private AgentRefs() {}

  /** At publish: {@code value} (at {@code pointer}) must be an agent id. */
  static void checkId(ConfigCheck check, String pointer, JsonNode value) {
    check.id(pointer, value, "an agent id");
  }
}
