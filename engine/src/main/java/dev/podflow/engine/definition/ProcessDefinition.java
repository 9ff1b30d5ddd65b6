package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated, immutable version of a process: activities run in the listed order unless an
 * activity names its successors in {@code next}, whose transitions may carry conditions. Build one
 * with {@link DefinitionParser}. Which activity can reach which is computed once, here, so the
 * instance is cheap to share across threads.
 */
@JsonPropertyOrder({"id", "name", "activities"})
public final class ProcessDefinition {
  private final String id;
  private final String name;
  private final List<Activity> activities;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<List<Activity>> possibleSuccessors = new ArrayList<>();
  private final List<List<Activity>> possiblePredecessors = new ArrayList<>();
  private final List<BitSet> reachable = new ArrayList<>();
  private final boolean hasJoins;

  /**
   * @throws IllegalArgumentException when an id repeats or a transition names an unknown activity
   */
  public ProcessDefinition(String id, String name, List<Activity> activities) {
    this.id = id;
    this.name = name;
    this.activities = List.copyOf(activities);
    this.hasJoins = this.activities.stream().anyMatch(Activity::join);
    for (int i = 0; i < this.activities.size(); i++) {
      if (index.putIfAbsent(this.activities.get(i).id(), i) != null) {
        throw new IllegalArgumentException(
            "definition " + id + " has two activities " + this.activities.get(i).id());
      }
      possiblePredecessors.add(new ArrayList<>());
    }
    for (int i = 0; i < this.activities.size(); i++) {
      Activity activity = this.activities.get(i);
      List<Activity> targets = new ArrayList<>();
      if (activity.next() == null) {
        if (i + 1 < this.activities.size()) targets.add(this.activities.get(i + 1));
      } else {
        for (Transition transition : activity.next()) {
          Integer target = index.get(transition.to());
          if (target == null) {
            throw new IllegalArgumentException(
                "activity " + activity.id() + " names unknown activity " + transition.to());
          }
          targets.add(this.activities.get(target));
        }
      }
      possibleSuccessors.add(List.copyOf(targets));
      for (Activity target : targets)
        possiblePredecessors.get(index.get(target.id())).add(activity);
    }
    possiblePredecessors.replaceAll(List::copyOf);
    for (int i = 0; i < this.activities.size(); i++) reachable.add(reachableFrom(i));
  }

  /** Breadth-first over possible transitions; terminates on loops too. */
  private BitSet reachableFrom(int start) {
    BitSet seen = new BitSet(activities.size());
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      for (Activity successor : possibleSuccessors.get(queue.poll())) {
        int s = index.get(successor.id());
        if (!seen.get(s)) {
          seen.set(s);
          queue.add(s);
        }
      }
    }
    return seen;
  }

  @JsonProperty("id")
  public String id() {
    return id;
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("activities")
  public List<Activity> activities() {
    return activities;
  }

  public Activity firstActivity() {
    return activities.getFirst();
  }

  public Optional<Activity> activity(String activityId) {
    Integer i = index.get(activityId);
    return i == null ? Optional.empty() : Optional.of(activities.get(i));
  }

  /**
   * The activities that run after {@code activityId} completed with {@code output}, in the order of
   * its {@code next}: every plain transition, every {@code when} transition whose condition is
   * {@code true}, and the {@code otherwise} transition when none of the {@code when} ones was.
   * Without {@code next}, the next activity in the list. Empty at the end of a branch (also when no
   * condition holds and there is no {@code otherwise}). A condition that is neither true nor false
   * does not hold and is listed in {@link Successors#undecided()}.
   *
   * @param output the completed step's output ({@code output} in conditions)
   * @param processInput the process instance's input ({@code process.input} in conditions)
   * @param steps the instance's completed steps ({@code steps} in conditions), asked for only when
   *     one of this activity's conditions reads them
   * @throws IllegalArgumentException for an unknown activity id
   */
  public Successors successorsOf(
      String activityId, JsonNode output, JsonNode processInput, CompletedSteps steps) {
    int i = indexOf(activityId);
    Activity activity = activities.get(i);
    if (activity.next() == null) return new Successors(possibleSuccessors.get(i), List.of());
    ConditionScope scope = null;
    List<Successors.UndecidedCondition> undecided = new ArrayList<>();
    boolean anyWhenHeld = false;
    boolean[] taken = new boolean[activity.next().size()];
    for (int t = 0; t < taken.length; t++) {
      Transition transition = activity.next().get(t);
      if (transition.when() != null) {
        if (scope == null) scope = scope(activity, output, processInput, steps);
        FeelCondition.Outcome outcome = transition.when().evaluate(scope);
        taken[t] = outcome.holds();
        anyWhenHeld |= taken[t];
        if (outcome.problem() != null) {
          undecided.add(
              new Successors.UndecidedCondition(
                  transition.to(), transition.when().source(), outcome.problem()));
        }
      } else if (!transition.otherwise()) {
        taken[t] = true;
      }
    }
    List<Activity> chosen = new ArrayList<>();
    for (int t = 0; t < taken.length; t++) {
      Transition transition = activity.next().get(t);
      if (taken[t] || (transition.otherwise() && !anyWhenHeld)) {
        chosen.add(possibleSuccessors.get(i).get(t));
      }
    }
    return new Successors(chosen, undecided);
  }

  /** The conditions' variables; the completed steps are read only when a condition needs them. */
  private static ConditionScope scope(
      Activity activity, JsonNode output, JsonNode processInput, CompletedSteps steps) {
    boolean readsSteps =
        activity.next().stream().anyMatch(t -> t.when() != null && t.when().readsSteps());
    return new ConditionScope(
        output, processInput, readsSteps ? steps.latestByActivity() : Map.of());
  }

  /** Every activity a transition of {@code activityId} leads to, conditions disregarded. */
  public List<Activity> possibleSuccessorsOf(String activityId) {
    return possibleSuccessors.get(indexOf(activityId));
  }

  /**
   * Every activity with a transition (plain, conditional or "next in the list") to {@code
   * activityId}, in list order.
   */
  public List<Activity> possiblePredecessorsOf(String activityId) {
    return possiblePredecessors.get(indexOf(activityId));
  }

  /** True when an activity is a join, so completions must look at waiting joins. */
  public boolean hasJoins() {
    return hasJoins;
  }

  /**
   * Whether a path of one or more possible transitions (conditions disregarded) leads from {@code
   * fromActivityId} to {@code toActivityId}. False for an activity and itself, as definitions have
   * no loops.
   *
   * @throws IllegalArgumentException for an unknown activity id
   */
  public boolean canReach(String fromActivityId, String toActivityId) {
    return reachable.get(indexOf(fromActivityId)).get(indexOf(toActivityId));
  }

  private int indexOf(String activityId) {
    Integer i = index.get(activityId);
    if (i == null) {
      throw new IllegalArgumentException("definition " + id + " has no activity " + activityId);
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessDefinition other
        && Objects.equals(id, other.id)
        && Objects.equals(name, other.name)
        && activities.equals(other.activities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, activities);
  }

  @Override
  public String toString() {
    return "ProcessDefinition[id=" + id + ", name=" + name + ", activities=" + activities + "]";
  }
}
