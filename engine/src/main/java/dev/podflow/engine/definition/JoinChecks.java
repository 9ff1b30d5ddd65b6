package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import java.util.List;

/**
 * What a definition must get right about joins ({@code "join": "all"}): the field's one value, and
 * that a join has two or more incoming transitions and is not the first activity. Stateless.
 */
final class JoinChecks {
  private JoinChecks() {}

  /** {@code "join"}: {@code "all"}, or left out (false). */
  static boolean parse(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return false;
    if (json.isTextual() && json.asText().equals(Activity.JOIN_ALL)) return true;
    violations.add(
        new Violation(
            at,
            "must be \"all\" (wait for every branch that can still arrive) or left out; got "
                + json));
    return false;
  }

  /** A join waits for two or more branches, and cannot be the first activity. */
  static void checkGraph(ProcessDefinition graph, List<Violation> violations) {
    List<Activity> activities = graph.activities();
    for (int i = 0; i < activities.size(); i++) {
      Activity activity = activities.get(i);
      if (!activity.join()) continue;
      String at = "/activities/" + i + "/join";
      List<Activity> incoming = graph.possiblePredecessorsOf(activity.id());
      if (i == 0) {
        violations.add(
            new Violation(at, "the first activity starts the process and cannot be a join"));
      } else if (incoming.isEmpty()) {
        violations.add(
            new Violation(
                at,
                "no transition leads to this activity, so the join would wait for"
                    + " nothing; remove \"join\""));
      } else if (incoming.size() == 1) {
        violations.add(
            new Violation(
                at,
                "only one transition (from '"
                    + incoming.getFirst().id()
                    + "') leads to this activity, so the join would wait for one branch only;"
                    + " a join needs two or more incoming transitions"));
      }
    }
  }
}
