package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One activity's config as its orchestrator checks it when a definition is published ({@link
 * dev.podflow.engine.orchestrator.Orchestrator#checkConfig}). Problems are reported with JSON
 * Pointers relative to the config ({@code "/agent"}, or {@code ""} for the config itself); the
 * parser places them under {@code /activities/i/config}. The helpers word the common field checks
 * the same for every plug-in. Checks that need the whole definition (which activities can run
 * before this one) go to {@link #onceGraphIsValid}. Made by {@link DefinitionParser}, one per
 * activity, which also refuses names no plug-in has; not thread-safe.
 */
public final class ConfigCheck {
  private final JsonNode config;
  private final String activityId;
  private final String definitionId;
  private final String at;
  private final List<Violation> violations;
  private final List<BiConsumer<Activity, ProcessDefinition>> graphChecks = new ArrayList<>();

  /**
   * The check of one activity's config by its orchestrator, run now; empty when no plug-in has that
   * name (a problem at the activity's {@code /orchestrator}) or the config is not an object (the
   * parser reports that).
   *
   * @param at the activity's pointer, {@code /activities/i}
   */
  static Optional<ConfigCheck> of(
      OrchestratorRegistry orchestrators,
      String orchestrator,
      JsonNode config,
      String activityId,
      String definitionId,
      String at,
      List<Violation> violations) {
    Optional<Orchestrator> plugIn = orchestrators.find(orchestrator);
    if (plugIn.isEmpty()) {
      violations.add(
          new Violation(
              at + "/orchestrator",
              "names unknown orchestrator '"
                  + orchestrator
                  + "'; known: ["
                  + orchestrators.names()
                  + "]"));
      return Optional.empty();
    }
    if (!config.isObject()) return Optional.empty();
    ConfigCheck check =
        new ConfigCheck(config, activityId, definitionId, at + "/config", violations);
    plugIn.get().checkConfig(check);
    return Optional.of(check);
  }

  private ConfigCheck(
      JsonNode config,
      String activityId,
      String definitionId,
      String at,
      List<Violation> violations) {
    this.config = config;
    this.activityId = activityId;
    this.definitionId = definitionId;
    this.at = at;
    this.violations = violations;
  }

  /** The activity's {@code config}, an object (empty when the definition left it out). */
  public JsonNode config() {
    return config;
  }

  /** The id of the definition being published (null when it has no valid id). */
  public String definitionId() {
    return definitionId;
  }

  /** Records a problem at {@code pointer}, relative to the config ({@code "/field/…"}). */
  public void violation(String pointer, String message) {
    violations.add(new Violation(at + pointer, message));
  }

  /** Escapes a field name for use in a JSON Pointer (RFC 6901). */
  public static String pointerToken(String field) {
    return FieldChecks.pointerToken(field);
  }

  /** Every field of the config not in {@code known} is a problem. */
  public void unknownFields(Set<String> known) {
    FieldChecks.unknownFields(config, known, at, violations);
  }

  /** True when {@code field} is present (not null); else records "is required: {@code what}". */
  public boolean required(String field, String what) {
    JsonNode value = config.get(field);
    if (value != null && !value.isNull()) return true;
    violation("/" + field, "is required: " + what);
    return false;
  }

  /** {@code field} must be an id (of a definition, an activity, an agent); returns it or null. */
  public String requiredId(String field) {
    return FieldChecks.requiredId(config, field, at, DefinitionParser.ID, violations);
  }

  /**
   * True when {@code value} (at {@code pointer}) is an id; else records "must be {@code kind}
   * matching …", e.g. {@code kind} "an agent id".
   */
  public boolean id(String pointer, JsonNode value, String kind) {
    if (value.isTextual() && DefinitionParser.ID.matcher(value.asText()).matches()) return true;
    violation(pointer, "must be " + kind + " matching " + DefinitionParser.ID.pattern());
    return false;
  }

  /** {@code field} must be a non-blank string; "is required: {@code what}" when left out. */
  public String requiredText(String field, String what) {
    if (!required(field, what)) return null;
    JsonNode value = config.get(field);
    if (value.isTextual() && !value.asText().isBlank()) return value.asText();
    violation("/" + field, "must be a non-blank string");
    return null;
  }

  /** When present, {@code field} must be a whole number from {@code min} to {@code max}. */
  public void optionalInt(String field, int min, int max) {
    FieldChecks.optionalInt(config, field, at, min, max, min, violations);
  }

  /** When present, {@code field} must be true or false. */
  public void optionalBoolean(String field) {
    JsonNode value = config.get(field);
    if (value != null && !value.isNull() && !value.isBoolean()) {
      violation("/" + field, "must be true or false");
    }
  }

  /** When present, {@code field} must name a user: a waiting task's assignee. */
  public void optionalUserId(String field) {
    JsonNode value = config.get(field);
    if (value == null || value.isNull()) return;
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
      violation("/" + field, "must be a non-blank user id of at most 200 characters");
    }
  }

  /** When present, {@code field} must be a JSON Schema ({@link FormSchema}). */
  public void optionalJsonSchema(String field) {
    JsonNode schema = config.get(field);
    if (schema == null || schema.isNull()) return;
    for (FormSchema.Violation v : FormSchema.check(schema)) {
      violation("/" + field + v.pointer(), v.message());
    }
  }

  /**
   * Runs {@code check} with this activity and the whole definition once every activity and
   * transition of it is valid (so the graph is complete), e.g. to ask {@link
   * ProcessDefinition#canReach} which activities run before this one. Not run otherwise: the
   * definition is refused for its other problems first.
   */
  public void onceGraphIsValid(BiConsumer<Activity, ProcessDefinition> check) {
    graphChecks.add(check);
  }

  /** Runs the checks {@link #onceGraphIsValid} collected; for the parser. */
  void checkGraph(ProcessDefinition graph) {
    Activity self = graph.activity(activityId).orElseThrow();
    graphChecks.forEach(check -> check.accept(self, graph));
  }
}
