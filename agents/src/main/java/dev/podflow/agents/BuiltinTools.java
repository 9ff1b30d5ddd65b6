package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.Json;
import dev.podflow.store.agent.ToolRef;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tools built into every pod, named in a profile by their bare names: {@code current_time}
 * ({@code {"zone": "Europe/Berlin"}}, optional; answers the ISO-8601 date-time). ({@code ask_human}
 * is not run like a tool: see {@link AskHumanTool}.) Each call is a {@code tool_call} event.
 * Thread-safe.
 */
final class BuiltinTools {
  private record Builtin(ToolSpecification spec, Function<JsonNode, String> run) {}

  private static final int EVENT_TEXT_CHARS = 1000;

  private final Map<String, Builtin> byName = new TreeMap<>();

  BuiltinTools(Clock clock) {
    add(
        ToolSpecification.builder()
            .name("current_time")
            .description("The current date and time (ISO-8601), in the given IANA zone or UTC.")
            .parameters(
                JsonObjectSchema.builder()
                    .addStringProperty("zone", "IANA time zone, e.g. Europe/Berlin; default UTC")
                    .build())
            .build(),
        args -> {
          String zone = args.path("zone").asText("UTC");
          try {
            return OffsetDateTime.now(clock.withZone(ZoneId.of(zone.isBlank() ? "UTC" : zone)))
                .toString();
          } catch (RuntimeException e) {
            return "error: unknown time zone '" + zone + "'";
          }
        });
  }

  private void add(ToolSpecification spec, Function<JsonNode, String> run) {
    byName.put(spec.name(), new Builtin(spec, run));
  }

  /** The tool a profile entry names, if it is a built-in one. */
  Optional<AgentTool> get(ToolRef ref) {
    Builtin builtin = byName.get(ref.name());
    if (builtin == null) return Optional.empty();
    return Optional.of(
        new AgentTool(
            builtin.spec(),
            ref.name(),
            ref,
            (task, arguments) -> run(task, builtin, ref.name(), arguments)));
  }

  String names() {
    return String.join(", ", byName.keySet());
  }

  private static String run(TaskContext task, Builtin builtin, String name, String argumentsJson) {
    String result;
    try {
      JsonNode args =
          argumentsJson == null || argumentsJson.isBlank()
              ? Json.object()
              : Json.MAPPER.readTree(argumentsJson);
      result = builtin.run().apply(args);
    } catch (Exception e) {
      result = "error: the arguments are not JSON: " + e.getMessage();
    }
    recordCall(task, name, argumentsJson, result, true);
    return result;
  }

  /** The {@code tool_call} event of one call ({@code known}: false for a tool the agent lacks). */
  static void recordCall(
      TaskContext task, String tool, String arguments, String result, boolean known) {
    task.recordEvent(
        LlmActionOrchestrator.TOOL_CALL,
        Json.object()
            .put("tool", tool)
            .put("arguments", abbreviate(arguments))
            .put("result", abbreviate(result))
            .put("known", known));
  }

  static String abbreviate(String text) {
    if (text == null) return "";
    return text.length() <= EVENT_TEXT_CHARS ? text : text.substring(0, EVENT_TEXT_CHARS) + "…";
  }
}
