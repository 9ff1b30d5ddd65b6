package dev.podflow.engine.definition;

import static dev.podflow.engine.definition.FieldChecks.optionalInt;
import static dev.podflow.engine.definition.FieldChecks.optionalText;
import static dev.podflow.engine.definition.FieldChecks.requiredId;
import static dev.podflow.engine.definition.FieldChecks.unknownFields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns submitted JSON into a {@link ProcessDefinition}, collecting every problem it finds so a
 * rejected upload can be fixed in one go: fields and their ranges, transitions and their
 * conditions, references between activities, loops and joins. Each activity's orchestrator must be
 * one the registry knows, and checks its own config ({@link
 * dev.podflow.engine.orchestrator.Orchestrator#checkConfig} through a {@link ConfigCheck}); the
 * parser names none. Thread-safe.
 */
public final class DefinitionParser {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ORCHESTRATOR = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final Set<String> DEFINITION_FIELDS =
      Set.of("id", "name", "a2a", "notify", "inputSchema", "activities");
  private static final Set<String> NOTIFY_FIELDS = Set.of("onComplete");
  private static final Set<String> A2A_FIELDS = Set.of("description", "skills");
  private static final Set<String> SKILL_FIELDS = Set.of("id", "name", "description");
  private static final int MAX_SKILLS = 20;
  private static final Set<String> ACTIVITY_FIELDS =
      Set.of(
          "id",
          "name",
          "orchestrator",
          "config",
          "next",
          "maxAttempts",
          "priority",
          "timeoutSeconds",
          "backoff",
          "maxPasses",
          "join");

  static final int MAX_ACTIVITIES = 500;
  static final int MAX_ATTEMPTS_LIMIT = 100;

  private final OrchestratorRegistry orchestrators;

  /**
   * @param orchestrators the plug-ins an activity may name, which check their configs
   */
  public DefinitionParser(OrchestratorRegistry orchestrators) {
    this.orchestrators = orchestrators;
  }

  /**
   * Validates {@code json} completely: structure, transitions, joins, orchestrator names and
   * configs.
   */
  public ProcessDefinition parse(JsonNode json) {
    return parse(json, true);
  }

  /**
   * Reads a definition stored by an earlier version of Podflow: the same structure rules, but
   * neither orchestrator names nor configs are judged again, so a plug-in that tightened its check
   * or is gone cannot make a stored version (and the instances running it) unreadable.
   */
  ProcessDefinition parseStored(JsonNode json) {
    return parse(json, false);
  }

  private ProcessDefinition parse(JsonNode json, boolean checkConfigs) {
    List<Violation> violations = new ArrayList<>();
    if (json == null || !json.isObject()) {
      throw new InvalidDefinitionException(List.of(new Violation("", "must be a JSON object")));
    }
    unknownFields(json, DEFINITION_FIELDS, "", violations);
    String id = requiredId(json, "id", "", ID, violations);
    String name = optionalText(json, "name", "", violations);
    JsonNode a2a = a2a(json.get("a2a"), violations);
    JsonNode notify = notify(json.get("notify"), violations);
    JsonNode inputSchema = inputSchema(json.get("inputSchema"), checkConfigs, violations);
    JsonNode activitiesJson = json.get("activities");
    List<Activity> activities = new ArrayList<>();
    if (activitiesJson == null || !activitiesJson.isArray() || activitiesJson.isEmpty()) {
      violations.add(new Violation("/activities", "must be a non-empty array of activities"));
    } else if (activitiesJson.size() > MAX_ACTIVITIES) {
      violations.add(
          new Violation(
              "/activities",
              "has "
                  + activitiesJson.size()
                  + " activities; at most "
                  + MAX_ACTIVITIES
                  + " are allowed"));
    } else {
      List<Integer> positions = new ArrayList<>();
      List<ConfigCheck> configChecks = new ArrayList<>();
      for (int i = 0; i < activitiesJson.size(); i++) {
        Activity activity =
            parseActivity(
                activitiesJson.get(i),
                "/activities/" + i,
                id,
                checkConfigs ? configChecks : null,
                violations);
        if (activity != null) {
          activities.add(activity);
          positions.add(i);
        }
      }
      if (activities.size() == activitiesJson.size()) {
        ProcessDefinition graph = checkReferences(activities, violations);
        if (graph != null) {
          ConditionChecks.checkSteps(graph, violations);
          JoinChecks.checkGraph(graph, violations);
          configChecks.forEach(check -> check.checkGraph(graph));
        }
      } else {
        // Some activities are unusable: their neighbours' pointers would be off, so only ids.
        checkUniqueIds(activities, positions, violations);
      }
    }
    if (!violations.isEmpty()) throw new InvalidDefinitionException(violations);
    return new ProcessDefinition(
        id, name == null ? id : name, a2a, notify, inputSchema, activities);
  }

  /**
   * {@code inputSchema}: absent, or a JSON Schema ({@link FormSchema}) that the input of every
   * start must satisfy; it describes an object, as process input always is. A stored schema is not
   * judged again (like configs), so a stricter validator cannot make a stored version unreadable.
   */
  private static JsonNode inputSchema(JsonNode schema, boolean judge, List<Violation> violations) {
    if (schema == null || schema.isNull()) return null;
    if (!judge) return schema;
    int before = violations.size();
    for (FormSchema.Violation v : FormSchema.check(schema)) {
      violations.add(new Violation("/inputSchema" + v.pointer(), v.message()));
    }
    if (schema.isObject() && !"object".equals(schema.path("type").asText(null))) {
      violations.add(
          new Violation(
              "/inputSchema/type", "must be \"object\": the process input is a JSON object"));
    }
    return violations.size() == before ? schema : null;
  }

  /** {@code notify}: absent, or {@code {"onComplete": "initiator"}}. */
  private static JsonNode notify(JsonNode notify, List<Violation> violations) {
    if (notify == null || notify.isNull()) return null;
    if (!notify.isObject()) {
      violations.add(
          new Violation("/notify", "must be an object such as {\"onComplete\": \"initiator\"}"));
      return null;
    }
    int before = violations.size();
    unknownFields(notify, NOTIFY_FIELDS, "/notify", violations);
    JsonNode onComplete = notify.get("onComplete");
    if (onComplete != null && !"initiator".equals(onComplete.asText(null))) {
      violations.add(
          new Violation(
              "/notify/onComplete",
              "must be \"initiator\": whoever started the instance is told it completed"));
    }
    return violations.size() == before ? notify : null;
  }

  /**
   * {@code a2a}: absent, or how the definition is published as an A2A agent: {@code {"description":
   * "…", "skills": [{"id", "name", "description"}, …]}} (at most {@value #MAX_SKILLS} skills).
   */
  private static JsonNode a2a(JsonNode a2a, List<Violation> violations) {
    if (a2a == null || a2a.isNull()) return null;
    if (!a2a.isObject()) {
      violations.add(new Violation("/a2a", "must be an object {description, skills}"));
      return null;
    }
    int before = violations.size();
    unknownFields(a2a, A2A_FIELDS, "/a2a", violations);
    if (!a2a.path("description").isTextual() || a2a.path("description").asText().isBlank()) {
      violations.add(
          new Violation("/a2a/description", "is required: what the agent does, for its card"));
    }
    JsonNode skills = a2a.get("skills");
    if (skills == null || !skills.isArray() || skills.isEmpty() || skills.size() > MAX_SKILLS) {
      violations.add(
          new Violation("/a2a/skills", "must be an array of 1 to " + MAX_SKILLS + " skills"));
    } else {
      for (int i = 0; i < skills.size(); i++) {
        JsonNode skill = skills.get(i);
        String at = "/a2a/skills/" + i;
        if (!skill.isObject()) {
          violations.add(new Violation(at, "must be an object {id, name, description}"));
          continue;
        }
        unknownFields(skill, SKILL_FIELDS, at, violations);
        requiredId(skill, "id", at, ID, violations);
        for (String field : List.of("name", "description")) {
          if (!skill.path(field).isTextual() || skill.path(field).asText().isBlank()) {
            violations.add(new Violation(at + "/" + field, "is required"));
          }
        }
      }
    }
    return violations.size() == before ? a2a : null;
  }

  /**
   * One activity, or null when it has problems. With {@code configChecks} (not for stored
   * definitions), its orchestrator must be known and checks the config; the check joins the list
   * for its graph checks.
   */
  private Activity parseActivity(
      JsonNode json,
      String at,
      String definitionId,
      List<ConfigCheck> configChecks,
      List<Violation> violations) {
    if (json == null || !json.isObject()) {
      violations.add(new Violation(at, "must be an object with at least id and orchestrator"));
      return null;
    }
    int before = violations.size();
    unknownFields(json, ACTIVITY_FIELDS, at, violations);
    String id = requiredId(json, "id", at, ID, violations);
    String name = optionalText(json, "name", at, violations);
    String orchestrator = requiredId(json, "orchestrator", at, ORCHESTRATOR, violations);
    JsonNode config = json.get("config");
    if (config == null || config.isNull()) {
      config = JsonNodeFactory.instance.objectNode();
    } else if (!config.isObject()) {
      violations.add(new Violation(at + "/config", "must be an object"));
    }
    if (configChecks != null && orchestrator != null) {
      ConfigCheck.of(orchestrators, orchestrator, config, id, definitionId, at, violations)
          .ifPresent(configChecks::add);
    }
    List<Transition> next = TransitionParser.parse(json.get("next"), at + "/next", violations);
    boolean join = JoinChecks.parse(json.get("join"), at + "/join", violations);
    int maxAttempts =
        optionalInt(
            json,
            "maxAttempts",
            at,
            1,
            MAX_ATTEMPTS_LIMIT,
            Activity.DEFAULT_MAX_ATTEMPTS,
            violations);
    int priority =
        optionalInt(json, "priority", at, -1000, 1000, Activity.DEFAULT_PRIORITY, violations);
    int timeoutSeconds =
        optionalInt(
            json,
            "timeoutSeconds",
            at,
            1,
            Activity.MAX_TIMEOUT_SECONDS,
            Activity.DEFAULT_TIMEOUT_SECONDS,
            violations);
    Backoff backoff = Backoff.parse(json.get("backoff"), at + "/backoff", violations);
    int maxPasses =
        optionalInt(
            json,
            "maxPasses",
            at,
            1,
            Activity.MAX_PASSES_LIMIT,
            Activity.DEFAULT_MAX_PASSES,
            violations);
    if (violations.size() > before) return null;
    return new Activity(
        id,
        name == null ? id : name,
        orchestrator,
        config,
        next,
        maxAttempts,
        priority,
        timeoutSeconds,
        backoff,
        maxPasses,
        join);
  }

  private static void checkUniqueIds(
      List<Activity> activities, List<Integer> positions, List<Violation> violations) {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < activities.size(); k++) {
      if (!seen.add(activities.get(k).id())) {
        violations.add(
            new Violation(
                "/activities/" + positions.get(k) + "/id",
                "'" + activities.get(k).id() + "' is used by an earlier activity"));
      }
    }
  }

  /**
   * Ids are unique, every transition names a known activity, and no loop is made of transitions
   * that are always taken (it could never be left). Returns the graph when all of that holds, else
   * null.
   */
  private static ProcessDefinition checkReferences(
      List<Activity> activities, List<Violation> violations) {
    int before = violations.size();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < activities.size(); i++) {
      if (index.putIfAbsent(activities.get(i).id(), i) != null) {
        violations.add(
            new Violation(
                "/activities/" + i + "/id",
                "'" + activities.get(i).id() + "' is used by an earlier activity"));
      }
    }
    if (violations.size() > before) return null;
    for (int i = 0; i < activities.size(); i++) {
      List<Transition> next = activities.get(i).next();
      if (next == null) continue;
      for (int j = 0; j < next.size(); j++) {
        Transition transition = next.get(j);
        if (!index.containsKey(transition.to())) {
          violations.add(
              new Violation(
                  "/activities/" + i + "/next/" + j + (transition.conditional() ? "/to" : ""),
                  "names unknown activity '"
                      + transition.to()
                      + "'; known: "
                      + index.keySet().stream().sorted().toList()));
        }
      }
    }
    if (violations.size() > before) return null;
    ProcessDefinition graph = new ProcessDefinition("", "", activities);
    Set<String> done = new HashSet<>();
    for (Activity activity : activities) {
      List<String> cycle = findCycle(graph, activity.id(), new LinkedHashSet<>(), done);
      if (cycle != null) {
        violations.add(
            new Violation(
                "/activities/" + index.get(cycle.get(cycle.size() - 2)) + "/next",
                "forms a loop that would never end: "
                    + String.join(" -> ", cycle)
                    + "; a loop needs a transition that is not always taken (\"when\", or"
                    + " \"otherwise\" beside a \"when\") so it can be left"));
        return null;
      }
    }
    return graph;
  }

  private static List<String> findCycle(
      ProcessDefinition graph, String id, LinkedHashSet<String> path, Set<String> done) {
    if (done.contains(id)) return null;
    if (path.contains(id)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String step : path) {
        if (step.equals(id)) in = true;
        if (in) cycle.add(step);
      }
      cycle.add(id);
      return cycle;
    }
    path.add(id);
    for (Activity successor : graph.unconditionalSuccessorsOf(id)) {
      List<String> cycle = findCycle(graph, successor.id(), path, done);
      if (cycle != null) return cycle;
    }
    path.remove(id);
    done.add(id);
    return null;
  }
}
