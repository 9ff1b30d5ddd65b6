package dev.podflow.engine.definition;

import java.util.List;

/**
 * What follows a completed activity ({@link ProcessDefinition#successorsOf}).
 *
 * @param activities the activities to run next, in the order of the activity's {@code next}
 * @param undecided the conditions that evaluated to neither true nor false (their transitions were
 *     not taken), for the caller to record
 */
public record Successors(List<Activity> activities, List<UndecidedCondition> undecided) {
  public Successors {
    activities = List.copyOf(activities);
    undecided = List.copyOf(undecided);
  }

  /**
   * A {@code when} that was neither true nor false.
   *
   * @param to the transition's target
   * @param when the condition's text
   * @param problem why, e.g. {@code is null, not true or false (No context entry found with key
   *     'score'…)}
   */
  public record UndecidedCondition(String to, String when, String problem) {}
}
