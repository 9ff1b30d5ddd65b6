package dev.podflow.engine.definition;

import java.util.List;
import java.util.Optional;

/**
 * A validated, immutable version of a process: activities run in the listed order unless an
 * activity names its successors in {@code next}. Build one with {@link DefinitionParser}.
 */
public record ProcessDefinition(String id, String name, List<Activity> activities) {

  public Activity firstActivity() {
    return activities.getFirst();
  }

  public Optional<Activity> activity(String activityId) {
    return activities.stream().filter(a -> a.id().equals(activityId)).findFirst();
  }

  /**
   * The activities that run after {@code activityId} completes; empty at the end of the process.
   */
  public List<Activity> successorsOf(String activityId) {
    for (int i = 0; i < activities.size(); i++) {
      Activity activity = activities.get(i);
      if (activity.id().equals(activityId)) {
        if (activity.next() != null) {
          return activity.next().stream().map(id -> activity(id).orElseThrow()).toList();
        }
        return i + 1 < activities.size() ? List.of(activities.get(i + 1)) : List.of();
      }
    }
    throw new IllegalArgumentException("definition " + id + " has no activity " + activityId);
  }
}
