package dev.podflow.engine.definition;

import static dev.podflow.engine.definition.FieldChecks.unknownFields;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an activity's {@code next}: its transitions, their FEEL conditions (parsed here, once per
 * definition version) and {@code otherwise}, with a violation for each problem. Stateless.
 */
final class TransitionParser {
  private static final Set<String> TRANSITION_FIELDS = Set.of("to", "when", "otherwise");

  private TransitionParser() {}

  /**
   * {@code next}: absent or null = the next activity in the list; else an array whose entries are
   * an activity id (always taken), {@code {"to": id, "when": condition}} or {@code {"to": id,
   * "otherwise": true}} (at most one). A target may appear once.
   */
  static List<Transition> parse(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return null;
    if (!json.isArray()) {
      violations.add(
          new Violation(
              at, "must be an array of activity ids or {\"to\", \"when\"|\"otherwise\"} objects"));
      return null;
    }
    List<Transition> next = new ArrayList<>();
    Map<String, Integer> targets = new HashMap<>();
    Integer otherwiseAt = null;
    for (int j = 0; j < json.size(); j++) {
      String entryAt = at + "/" + j;
      Transition transition = transition(json.get(j), entryAt, violations);
      if (transition == null) continue;
      Integer earlier = targets.putIfAbsent(transition.to(), j);
      if (earlier != null) {
        violations.add(
            new Violation(
                entryAt,
                "names '"
                    + transition.to()
                    + "' twice (also at "
                    + at
                    + "/"
                    + earlier
                    + "); combine the conditions with or"));
        continue;
      }
      if (transition.otherwise()) {
        if (otherwiseAt != null) {
          violations.add(
              new Violation(
                  entryAt + "/otherwise",
                  "only one transition of an activity may be otherwise; "
                      + at
                      + "/"
                      + otherwiseAt
                      + " already is"));
          continue;
        }
        otherwiseAt = j;
      }
      next.add(transition);
    }
    return List.copyOf(next);
  }

  private static Transition transition(JsonNode json, String at, List<Violation> violations) {
    if (json.isTextual()) return Transition.always(json.asText());
    if (!json.isObject()) {
      violations.add(
          new Violation(
              at,
              "must be an activity id (a string) or an object {\"to\": id, \"when\": condition}"
                  + " or {\"to\": id, \"otherwise\": true}"));
      return null;
    }
    int before = violations.size();
    unknownFields(json, TRANSITION_FIELDS, at, violations);
    JsonNode to = json.get("to");
    if (to == null || to.isNull()) {
      violations.add(new Violation(at + "/to", "is required: the id of the activity to go to"));
    } else if (!to.isTextual()) {
      violations.add(new Violation(at + "/to", "must be an activity id (a string)"));
    }
    JsonNode whenJson = json.get("when");
    JsonNode otherwiseJson = json.get("otherwise");
    boolean hasWhen = whenJson != null && !whenJson.isNull();
    boolean otherwise = false;
    if (otherwiseJson != null && !otherwiseJson.isNull()) {
      if (!otherwiseJson.isBoolean() || !otherwiseJson.booleanValue()) {
        violations.add(
            new Violation(
                at + "/otherwise",
                "must be true (the transition taken when no 'when' of this activity holds),"
                    + " or left out"));
      } else if (hasWhen) {
        violations.add(
            new Violation(
                at + "/otherwise",
                "cannot be combined with 'when'; a transition has a condition or is otherwise"));
      } else {
        otherwise = true;
      }
    }
    FeelCondition when = null;
    if (hasWhen) {
      if (!whenJson.isTextual()) {
        violations.add(
            new Violation(at + "/when", "must be a condition (a FEEL expression string)"));
      } else {
        try {
          when = FeelCondition.parse(whenJson.asText());
        } catch (FeelSyntaxException e) {
          violations.add(
              new Violation(at + "/when", "is not a valid FEEL condition: " + e.detail()));
        }
      }
    }
    if (violations.size() > before) return null;
    return new Transition(to.asText(), when, otherwise);
  }
}
