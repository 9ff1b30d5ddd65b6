package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.definition.DefinitionDao;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What an upload through the API must pass besides {@link DefinitionParser}: names it uses exist in
 * the database (agents of {@code llm-action} and {@code deep-research}, definitions and versions of
 * {@code subprocess}), sub-processes do not start each other in a circle, and {@code sleep} has a
 * usable {@code ms}.
 *
 * <p>These are upload checks rather than parser rules because a stored definition must stay
 * readable when an agent is replaced later, and because {@link DefinitionCatalog#publish} (used by
 * tests, the demo and the chaos harness) deliberately stores what the pods must survive at run
 * time, a bad {@code sleep} config included. Runs inside the inserting transaction.
 */
final class DefinitionUploadCheck {
  private final DefinitionCatalog catalog;

  DefinitionUploadCheck(DefinitionCatalog catalog) {
    this.catalog = catalog;
  }

  /** Every violation found; empty when the definition may be stored. */
  List<Violation> check(Handle h, ProcessDefinition definition) {
    List<Violation> violations = new ArrayList<>();
    AgentDao agents = h.attach(AgentDao.class);
    DefinitionDao definitions = h.attach(DefinitionDao.class);
    List<Activity> activities = definition.activities();
    for (int i = 0; i < activities.size(); i++) {
      Activity activity = activities.get(i);
      JsonNode config = activity.config();
      String at = "/activities/" + i + "/config";
      switch (activity.orchestrator()) {
        case BuiltinOrchestrators.LLM_ACTION ->
            agent(agents, config.get("agent"), at + "/agent", violations);
        case BuiltinOrchestrators.DEEP_RESEARCH -> {
          JsonNode roles = config.path("agents");
          for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> role = it.next();
            agent(
                agents,
                role.getValue(),
                at + "/agents/" + DefinitionParser.pointerToken(role.getKey()),
                violations);
          }
        }
        case BuiltinOrchestrators.SUBPROCESS -> {
          int before = violations.size();
          SubprocessRef ref = SubprocessRef.of(config);
          if (ref == null) break; // the parser has vouched for it; nothing to look up
          if (ref.version() == null) {
            if (definitions.definitionGetLatest(ref.id()).isEmpty()) {
              violations.add(
                  new Violation(
                      at + "/definition",
                      "names unknown process definition '"
                          + ref.id()
                          + "'; publish it first with POST /api/v1/definitions"));
            }
          } else if (definitions.definitionGet(ref.id(), ref.version()).isEmpty()) {
            var latest = definitions.definitionGetLatest(ref.id());
            violations.add(
                latest.isEmpty()
                    ? new Violation(
                        at + "/definition",
                        "names unknown process definition '"
                            + ref.id()
                            + "'; publish it first with POST /api/v1/definitions")
                    : new Violation(
                        at + "/version",
                        "process definition '"
                            + ref.id()
                            + "' has no version "
                            + ref.version()
                            + "; the latest is "
                            + latest.get().version()));
          }
          if (violations.size() == before) {
            String loop = loopBack(h, definition.id(), ref);
            if (loop != null) {
              violations.add(
                  new Violation(
                      at + "/definition",
                      "starts sub-processes that start this definition again ("
                          + loop
                          + "); they would never end"));
            }
          }
        }
        case BuiltinOrchestrators.SLEEP -> {
          JsonNode ms = config.get("ms");
          if (ms == null
              || !ms.isIntegralNumber()
              || ms.asLong() < 0
              || ms.asLong() > BuiltinOrchestrators.SLEEP_MAX_MS) {
            violations.add(
                new Violation(
                    at + "/ms",
                    (ms == null ? "is required: " : "must be ")
                        + "a whole number of milliseconds from 0 to "
                        + BuiltinOrchestrators.SLEEP_MAX_MS));
          }
        }
        default -> {
          // nothing stored to look up
        }
      }
    }
    return violations;
  }

  private static void agent(AgentDao agents, JsonNode id, String at, List<Violation> violations) {
    if (id == null || !id.isTextual()) return; // the parser reported it
    if (agents.agentGet(id.asText()).isEmpty()) {
      violations.add(
          new Violation(
              at, "names unknown agent '" + id.asText() + "'; create it with POST /api/v1/agents"));
    }
  }

  /** The definition and version (null = the latest when it starts) a sub-process step runs. */
  private record SubprocessRef(String id, Integer version) {
    static SubprocessRef of(JsonNode config) {
      JsonNode id = config.get("definition");
      if (id == null || !id.isTextual()) return null;
      JsonNode version = config.get("version");
      return new SubprocessRef(
          id.asText(), version == null || version.isNull() ? null : version.asInt());
    }

    @Override
    public String toString() {
      return version == null ? id : id + "@" + version;
    }
  }

  /**
   * Follows the sub-processes that {@code start} runs, transitively through the stored definitions,
   * and returns the chain (for example {@code "b -> c -> a"}) when one of them runs the latest
   * version of {@code uploadedId}, which the upload is about to become; else null.
   */
  private String loopBack(Handle h, String uploadedId, SubprocessRef start) {
    Map<SubprocessRef, SubprocessRef> parent = new HashMap<>();
    Set<SubprocessRef> seen = new HashSet<>();
    Deque<SubprocessRef> queue = new ArrayDeque<>();
    queue.add(start);
    seen.add(start);
    while (!queue.isEmpty()) {
      SubprocessRef ref = queue.poll();
      ProcessDefinition stored;
      try {
        stored =
            (ref.version() == null
                    ? catalog.latest(h, ref.id())
                    : catalog.get(h, ref.id(), ref.version()))
                .definition();
      } catch (DefinitionNotFoundException | InvalidDefinitionException e) {
        continue; // nothing runs there, so nothing loops through it
      }
      for (Activity activity : stored.activities()) {
        if (!activity.orchestrator().equals(BuiltinOrchestrators.SUBPROCESS)) continue;
        SubprocessRef child = SubprocessRef.of(activity.config());
        if (child == null || !seen.add(child)) continue;
        parent.put(child, ref);
        if (child.id().equals(uploadedId) && child.version() == null) {
          List<String> chain = new ArrayList<>();
          for (SubprocessRef step = child; step != null; step = parent.get(step)) {
            chain.addFirst(step.toString());
          }
          chain.addFirst(uploadedId);
          return String.join(" -> ", chain);
        }
        queue.add(child);
      }
    }
    return null;
  }
}
