package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.form.FormSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns submitted JSON into a {@link ProcessDefinition}, collecting every problem it finds so a
 * rejected upload can be fixed in one go. Stateless and thread-safe.
 */
public final class DefinitionParser {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ORCHESTRATOR = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> DEFINITION_FIELDS = Set.of("id", "name", "activities");
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
          "backoff");

  /** The orchestrator of human steps, whose config the parser checks. */
  public static final String HUMAN = "human";

  static final int MAX_ACTIVITIES = 500;
  static final int MAX_ATTEMPTS_LIMIT = 100;

  public ProcessDefinition parse(JsonNode json) {
    List<Violation> violations = new ArrayList<>();
    if (json == null || !json.isObject()) {
      throw new InvalidDefinitionException(List.of(new Violation("", "must be a JSON object")));
    }
    unknownFields(json, DEFINITION_FIELDS, "", violations);
    String id = requiredId(json, "id", "", ID, violations);
    String name = optionalText(json, "name", "", violations);
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
      for (int i = 0; i < activitiesJson.size(); i++) {
        Activity activity = parseActivity(activitiesJson.get(i), "/activities/" + i, violations);
        if (activity != null) activities.add(activity);
      }
      checkReferences(activities, violations);
    }
    if (!violations.isEmpty()) throw new InvalidDefinitionException(violations);
    return new ProcessDefinition(id, name == null ? id : name, List.copyOf(activities));
  }

  private Activity parseActivity(JsonNode json, String at, List<Violation> violations) {
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
    if (HUMAN.equals(orchestrator) && config.isObject()) {
      humanConfig(config, at + "/config", violations);
    }
    List<String> next = null;
    JsonNode nextJson = json.get("next");
    if (nextJson != null && !nextJson.isNull()) {
      if (!nextJson.isArray()) {
        violations.add(new Violation(at + "/next", "must be an array of activity ids"));
      } else {
        next = new ArrayList<>();
        for (int i = 0; i < nextJson.size(); i++) {
          JsonNode ref = nextJson.get(i);
          if (!ref.isTextual()) {
            violations.add(new Violation(at + "/next/" + i, "must be an activity id (a string)"));
          } else if (next.contains(ref.asText())) {
            violations.add(new Violation(at + "/next/" + i, "names '" + ref.asText() + "' twice"));
          } else {
            next.add(ref.asText());
          }
        }
      }
    }
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
    Backoff backoff = backoff(json.get("backoff"), at + "/backoff", violations);
    if (violations.size() > before) return null;
    return new Activity(
        id,
        name == null ? id : name,
        orchestrator,
        config,
        next == null ? null : List.copyOf(next),
        maxAttempts,
        priority,
        timeoutSeconds,
        backoff);
  }

  /**
   * {@code {"assignee": "<user id>", "form": {JSON Schema}}}: who answers the task, and the schema
   * the answer must satisfy (any JSON object when left out).
   */
  private static void humanConfig(JsonNode config, String at, List<Violation> violations) {
    unknownFields(config, Set.of("assignee", "form"), at, violations);
    JsonNode assignee = config.get("assignee");
    if (assignee == null || assignee.isNull()) {
      violations.add(
          new Violation(at + "/assignee", "is required: the id of the user who answers the task"));
    } else if (!assignee.isTextual()
        || assignee.asText().isBlank()
        || assignee.asText().length() > 200) {
      violations.add(
          new Violation(at + "/assignee", "must be a non-blank user id of at most 200 characters"));
    }
    JsonNode form = config.get("form");
    if (form != null && !form.isNull()) {
      for (FormSchema.Violation v : FormSchema.check(form)) {
        violations.add(new Violation(at + "/form" + v.pointer(), v.message()));
      }
    }
  }

  /**
   * {@code {"initialSeconds": a, "maxSeconds": b}} with 0 < a <= b <= one day; either may be left
   * out.
   */
  private static Backoff backoff(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return Backoff.DEFAULT;
    if (!json.isObject()) {
      violations.add(
          new Violation(at, "must be an object {\"initialSeconds\": n, \"maxSeconds\": m}"));
      return Backoff.DEFAULT;
    }
    int before = violations.size();
    unknownFields(json, Set.of("initialSeconds", "maxSeconds"), at, violations);
    double initial =
        optionalSeconds(json, "initialSeconds", at, Backoff.DEFAULT.initialSeconds(), violations);
    double max =
        optionalSeconds(
            json, "maxSeconds", at, Math.max(initial, Backoff.DEFAULT.maxSeconds()), violations);
    if (violations.size() > before) return Backoff.DEFAULT;
    if (max < initial) {
      violations.add(
          new Violation(
              at + "/maxSeconds", "must not be less than initialSeconds (" + initial + ")"));
      return Backoff.DEFAULT;
    }
    return new Backoff(initial, max);
  }

  private static double optionalSeconds(
      JsonNode json, String field, String at, double fallback, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isNumber()
        || !(value.asDouble() > 0)
        || value.asDouble() > Backoff.LONGEST_SECONDS) {
      violations.add(
          new Violation(
              at + "/" + field,
              "must be a number of seconds above 0 and at most " + (long) Backoff.LONGEST_SECONDS));
      return fallback;
    }
    return value.asDouble();
  }

  /** Every {@code next} names a known activity, ids are unique, and no path loops forever. */
  private void checkReferences(List<Activity> activities, List<Violation> violations) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < activities.size(); i++) {
      if (index.putIfAbsent(activities.get(i).id(), i) != null) {
        violations.add(
            new Violation(
                "/activities/" + i + "/id",
                "'" + activities.get(i).id() + "' is used by an earlier activity"));
      }
    }
    if (!violations.isEmpty()) return;
    for (int i = 0; i < activities.size(); i++) {
      List<String> next = activities.get(i).next();
      if (next == null) continue;
      for (int j = 0; j < next.size(); j++) {
        if (!index.containsKey(next.get(j))) {
          violations.add(
              new Violation(
                  "/activities/" + i + "/next/" + j,
                  "names unknown activity '"
                      + next.get(j)
                      + "'; known: "
                      + index.keySet().stream().sorted().toList()));
        }
      }
    }
    if (!violations.isEmpty()) return;
    ProcessDefinition graph = new ProcessDefinition("", "", activities);
    Set<String> done = new HashSet<>();
    for (Activity activity : activities) {
      List<String> cycle = findCycle(graph, activity.id(), new LinkedHashSet<>(), done);
      if (cycle != null) {
        violations.add(
            new Violation(
                "/activities/" + index.get(cycle.getLast()) + "/next",
                "forms a loop that would never end: " + String.join(" -> ", cycle)));
        return;
      }
    }
  }

  private List<String> findCycle(
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
    for (Activity successor : graph.successorsOf(id)) {
      List<String> cycle = findCycle(graph, successor.id(), path, done);
      if (cycle != null) return cycle;
    }
    path.remove(id);
    done.add(id);
    return null;
  }

  private static void unknownFields(
      JsonNode json, Set<String> known, String at, List<Violation> violations) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        violations.add(
            new Violation(
                at + "/" + field,
                "is not a known field; known: " + known.stream().sorted().toList()));
      }
    }
  }

  private static String requiredId(
      JsonNode json, String field, String at, Pattern pattern, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      violations.add(new Violation(at + "/" + field, "is required"));
      return null;
    }
    if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
      violations.add(
          new Violation(at + "/" + field, "must be a string matching " + pattern.pattern()));
      return null;
    }
    return value.asText();
  }

  private static String optionalText(
      JsonNode json, String field, String at, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
      violations.add(
          new Violation(at + "/" + field, "must be a non-blank string of at most 200 characters"));
      return null;
    }
    return value.asText();
  }

  private static int optionalInt(
      JsonNode json,
      String field,
      String at,
      int min,
      int max,
      int fallback,
      List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      violations.add(
          new Violation(at + "/" + field, "must be a whole number from " + min + " to " + max));
      return fallback;
    }
    return value.asInt();
  }
}
