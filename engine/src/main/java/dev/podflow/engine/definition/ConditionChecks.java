package dev.podflow.engine.definition;

import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import java.util.List;

/** What the parser checks of conditions once the graph is known. Stateless. */
final class ConditionChecks {
  private ConditionChecks() {}

  /**
   * A condition's {@code steps.<id>} names an activity of the definition. Ids that are not FEEL
   * names are written in backticks, {@code steps.`draft-1`.output}; without them FEEL reads {@code
   * steps.draft-1} as {@code steps.draft} minus 1, which this check catches too.
   */
  static void checkSteps(ProcessDefinition graph, List<Violation> violations) {
    List<Activity> activities = graph.activities();
    for (int i = 0; i < activities.size(); i++) {
      List<Transition> next = activities.get(i).next();
      if (next == null) continue;
      for (int j = 0; j < next.size(); j++) {
        FeelCondition when = next.get(j).when();
        if (when == null) continue;
        for (String step : when.stepIds()) {
          if (graph.activity(step).isEmpty()) {
            violations.add(
                new Violation(
                    "/activities/" + i + "/next/" + j + "/when",
                    "reads steps."
                        + step
                        + ", but the definition has no activity '"
                        + step
                        + "'; known: "
                        + activities.stream().map(Activity::id).sorted().toList()
                        + " (write ids that are not FEEL names in backticks:"
                        + " steps.`draft-1`.output)"));
          }
        }
      }
    }
  }
}
