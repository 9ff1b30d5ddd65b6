package dev.podflow.engine.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
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
@JsonPropertyOrder({"id", "name", "a2a", "notify", "inputSchema", "activities"})
public final class ProcessDefinition {
  private final String id;
  private final String name;
  private final List<Activity> activities;
  private final JsonNode a2a;
  private final JsonNode notify;
  private final JsonNode inputSchema;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<List<Activity>> possibleSuccessors = new ArrayList<>();
  private final List<List<Activity>> possiblePredecessors = new ArrayList<>();
  private final List<List<Activity>> unconditionalSuccessors = new ArrayList<>();
  private final List<BitSet> reachable = new ArrayList<>();
  private final List<BitSet> reachableWithinPass = new ArrayList<>();
  private final boolean hasJoins;
  private final boolean hasLoops;

  /**
   * @throws IllegalArgumentException when an id repeats or a transition names an unknown activity
   */
  public ProcessDefinition(String id, String name, List<Activity> activities) {
    this(id, name, null, null, null, activities);
  }

  /**
   * @param a2a how the definition is published as an A2A agent ({@code {"description", "skills"}}),
   *     or null when it is not
   * @param notify whom its instances notify ({@code {"onComplete": "initiator"}}), or null
   * @param inputSchema the JSON Schema every start's input must satisfy, or null for any object
   * @throws IllegalArgumentException when an id repeats or a transition names an unknown activity
   */
  public ProcessDefinition(
      String id,
      String name,
      JsonNode a2a,
      JsonNode notify,
      JsonNode inputSchema,
      List<Activity> activities) {
    this.id = id;
    this.name = name;
    this.a2a = a2a;
    this.notify = notify;
    this.inputSchema = inputSchema;
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
      unconditionalSuccessors.add(unconditional(activity, targets));
      for (Activity target : targets)
        possiblePredecessors.get(index.get(target.id())).add(activity);
    }
    possiblePredecessors.replaceAll(List::copyOf);
    List<BitSet> loopBacks = loopBackTransitions();
    boolean loops = false;
    for (int i = 0; i < this.activities.size(); i++) {
      reachable.add(reachableFrom(i, null));
      reachableWithinPass.add(reachableFrom(i, loopBacks));
      loops |= reachable.get(i).get(i);
    }
    this.hasLoops = loops;
  }

  /**
   * The targets of {@code activity}'s transitions that are always taken: its plain transitions, an
   * {@code otherwise} with no {@code when} beside it, or the next activity in the list.
   */
  private static List<Activity> unconditional(Activity activity, List<Activity> targets) {
    if (activity.next() == null) return targets;
    boolean anyWhen = activity.next().stream().anyMatch(t -> t.when() != null);
    List<Activity> always = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      Transition transition = activity.next().get(t);
      if (transition.when() == null && (!transition.otherwise() || !anyWhen)) {
        always.add(targets.get(t));
      }
    }
    return List.copyOf(always);
  }

  /**
   * The loop-back transitions, per activity the positions of its possible successors they lead to:
   * those that lead to an activity on the path that reached this one, in a depth-first walk from
   * the first activity (then from any activity not reached yet, in list order), transitions in
   * their order. For a loop with one entry these are exactly the transitions back to its start.
   */
  private List<BitSet> loopBackTransitions() {
    int n = activities.size();
    List<BitSet> back = new ArrayList<>();
    for (int i = 0; i < n; i++) back.add(new BitSet());
    int[] state = new int[n]; // 0 unvisited, 1 on the path, 2 done
    for (int root = 0; root < n; root++) {
      if (state[root] != 0) continue;
      Deque<int[]> path = new ArrayDeque<>(); // {activity, next successor position}
      path.push(new int[] {root, 0});
      state[root] = 1;
      while (!path.isEmpty()) {
        int[] top = path.peek();
        List<Activity> successors = possibleSuccessors.get(top[0]);
        if (top[1] == successors.size()) {
          state[top[0]] = 2;
          path.pop();
          continue;
        }
        int position = top[1]++;
        int s = index.get(successors.get(position).id());
        if (state[s] == 1) {
          back.get(top[0]).set(position);
        } else if (state[s] == 0) {
          state[s] = 1;
          path.push(new int[] {s, 0});
        }
      }
    }
    return back;
  }

  /**
   * Breadth-first over possible transitions, leaving out {@code loopBacks} when given; terminates
   * on loops too.
   */
  private BitSet reachableFrom(int start, List<BitSet> loopBacks) {
    BitSet seen = new BitSet(activities.size());
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int from = queue.poll();
      List<Activity> successors = possibleSuccessors.get(from);
      for (int position = 0; position < successors.size(); position++) {
        if (loopBacks != null && loopBacks.get(from).get(position)) continue;
        int s = index.get(successors.get(position).id());
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

  /** How it is published as an A2A agent ({@code {"description", "skills"}}); null when not. */
  @JsonProperty("a2a")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public JsonNode a2a() {
    return a2a;
  }

  /** Whom its instances notify ({@code {"onComplete": "initiator"}}); null when nobody. */
  @JsonProperty("notify")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public JsonNode notifySettings() {
    return notify;
  }

  /**
   * The JSON Schema ({@link dev.podflow.engine.form.FormSchema}) the input of every start must
   * satisfy, which the console renders as the start form; null when any object will do.
   */
  @JsonProperty("inputSchema")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public JsonNode inputSchema() {
    return inputSchema;
  }

  /** Whether an instance that completes notifies whoever started it. */
  public boolean notifiesInitiatorOnComplete() {
    return notify != null && "initiator".equals(notify.path("onComplete").asText(null));
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

  /** Every activity an always-taken transition of {@code activityId} leads to. */
  public List<Activity> unconditionalSuccessorsOf(String activityId) {
    return unconditionalSuccessors.get(indexOf(activityId));
  }

  /** True when an activity is a join, so completions must look at waiting joins. */
  public boolean hasJoins() {
    return hasJoins;
  }

  /** True when a guarded transition leads back to an earlier activity somewhere. */
  public boolean hasLoops() {
    return hasLoops;
  }

  /** True when a loop leads back to {@code activityId}, so it may run more than once. */
  public boolean inLoop(String activityId) {
    return canReach(activityId, activityId);
  }

  /**
   * Whether a path of one or more possible transitions (conditions disregarded, loops included)
   * leads from {@code fromActivityId} to {@code toActivityId}; true for an activity and itself when
   * it is in a loop.
   *
   * @throws IllegalArgumentException for an unknown activity id
   */
  public boolean canReach(String fromActivityId, String toActivityId) {
    return reachable.get(indexOf(fromActivityId)).get(indexOf(toActivityId));
  }

  /**
   * Like {@link #canReach}, but without loop-back transitions: whether a task of {@code
   * fromActivityId} can lead to {@code toActivityId} in the same pass. A join waits for exactly
   * these (a task that could reach it only by looping back starts the next pass).
   *
   * @throws IllegalArgumentException for an unknown activity id
   */
  public boolean canReachWithinPass(String fromActivityId, String toActivityId) {
    return reachableWithinPass.get(indexOf(fromActivityId)).get(indexOf(toActivityId));
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
        && Objects.equals(a2a, other.a2a)
        && Objects.equals(notify, other.notify)
        && Objects.equals(inputSchema, other.inputSchema)
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
