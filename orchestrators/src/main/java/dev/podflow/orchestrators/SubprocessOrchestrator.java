package dev.podflow.orchestrators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.UploadCheck;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.StartSubprocess;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code subprocess} with config {@code {"definition": "<id>", "version": n}} ({@code version}
 * optional: the latest when the task runs): runs that definition as a sub-process with the task's
 * input, and completes with its output. At upload the definition (and version) must be published,
 * and sub-processes may not start one another in a circle.
 */
public final class SubprocessOrchestrator implements Orchestrator {
  static final String NAME = "subprocess";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("definition", "version"));
    String child = check.requiredId("definition");
    if (child != null && child.equals(check.definitionId())) {
      check.violation(
          "/definition",
          "names this definition itself; the sub-process would start itself forever");
    }
    check.optionalInt("version", 1, Integer.MAX_VALUE);
  }

  @Override
  public void checkUpload(UploadCheck check) {
    Ref ref = Ref.of(check.config());
    if (ref == null) return; // checkConfig has vouched for it; nothing to look up
    Optional<Integer> latest = check.latestVersion(ref.id());
    if (latest.isEmpty()) {
      check.violation(
          "/definition",
          "names unknown process definition '"
              + ref.id()
              + "'; publish it first with POST /api/v1/definitions");
      return;
    }
    if (ref.version() != null && check.stored(ref.id(), ref.version()).isEmpty()) {
      check.violation(
          "/version",
          "process definition '"
              + ref.id()
              + "' has no version "
              + ref.version()
              + "; the latest is "
              + latest.get());
      return;
    }
    String loop = loopBack(check, ref);
    if (loop != null) {
      check.violation(
          "/definition",
          "starts sub-processes that start this definition again ("
              + loop
              + "); they would never"
              + " end");
    }
  }

  @Override
  public JsonNode run(TaskContext context) throws StartSubprocess {
    Ref ref = Ref.of(context.config());
    if (ref == null) {
      throw TaskFailedException.permanent(
          "subprocess needs config {\"definition\": \"<id>\"}, got " + context.config());
    }
    throw new StartSubprocess(ref.id(), ref.version(), context.input());
  }

  /** The definition and version (null = the latest when it starts) a sub-process step runs. */
  private record Ref(String id, Integer version) {
    static Ref of(JsonNode config) {
      JsonNode id = config.get("definition");
      if (id == null || !id.isTextual()) return null;
      JsonNode version = config.get("version");
      return new Ref(id.asText(), version == null || version.isNull() ? null : version.asInt());
    }

    @Override
    public String toString() {
      return version == null ? id : id + "@" + version;
    }
  }

  /**
   * Follows the sub-processes that {@code start} runs, transitively through the stored definitions,
   * and returns the chain (for example {@code "b -> c -> a"}) when one of them runs the latest
   * version of the uploaded definition, which the upload is about to become; else null.
   */
  private static String loopBack(UploadCheck check, Ref start) {
    String uploadedId = check.definition().id();
    Map<Ref, Ref> parent = new HashMap<>();
    Set<Ref> seen = new HashSet<>();
    Deque<Ref> queue = new ArrayDeque<>();
    queue.add(start);
    seen.add(start);
    while (!queue.isEmpty()) {
      Ref ref = queue.poll();
      Optional<ProcessDefinition> stored = check.stored(ref.id(), ref.version());
      if (stored.isEmpty()) continue; // nothing runs there, so nothing loops through it
      for (Activity activity : stored.get().activities()) {
        if (!activity.orchestrator().equals(NAME)) continue;
        Ref child = Ref.of(activity.config());
        if (child == null || !seen.add(child)) continue;
        parent.put(child, ref);
        if (child.id().equals(uploadedId) && child.version() == null) {
          List<String> chain = new ArrayList<>();
          for (Ref step = child; step != null; step = parent.get(step)) {
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
