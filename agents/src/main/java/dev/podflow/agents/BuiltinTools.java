package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.podflow.store.Json;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tools an agent can name in its profile until MCP tools arrive: {@code current_time} ({@code
 * {"zone": "Europe/Berlin"}}, optional; answers the ISO-8601 date-time). Thread-safe.
 */
final class BuiltinTools {
  record Tool(ToolSpecification spec, Function<JsonNode, String> run) {}

  private final Map<String, Tool> byName = new TreeMap<>();

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
    byName.put(spec.name(), new Tool(spec, run));
  }

  Tool get(String name) {
    return byName.get(name);
  }

  String names() {
    return String.join(", ", byName.keySet());
  }

  /** Runs a tool on arguments as the model sent them (a JSON object as text). */
  String run(Tool tool, String argumentsJson) {
    JsonNode args;
    try {
      args =
          argumentsJson == null || argumentsJson.isBlank()
              ? Json.object()
              : Json.MAPPER.readTree(argumentsJson);
    } catch (Exception e) {
      return "error: the arguments are not JSON: " + e.getMessage();
    }
    return tool.run().apply(args);
  }
}
