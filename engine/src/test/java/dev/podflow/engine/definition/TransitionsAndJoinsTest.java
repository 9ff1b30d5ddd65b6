package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransitionsAndJoinsTest {
  private final DefinitionParser parser = new DefinitionParser(TestOrchestrators.REGISTRY);

  /** review → approve | reject | escalate (otherwise); approve and reject → archive (join). */
  private static final String REVIEW =
      """
      {"id": "review", "activities": [
        {"id": "score", "orchestrator": "noop"},
        {"id": "route", "orchestrator": "noop", "next": [
          {"to": "approve", "when": "output.score >= 0.8"},
          {"to": "reject", "when": "output.score < 0.3 or process.input.strict = true"},
          {"to": "escalate", "otherwise": true},
          "audit"]},
        {"id": "approve", "orchestrator": "noop", "next": ["archive"]},
        {"id": "reject", "orchestrator": "noop", "next": ["archive"]},
        {"id": "escalate", "orchestrator": "noop", "next": []},
        {"id": "audit", "orchestrator": "noop", "next": ["archive"]},
        {"id": "archive", "orchestrator": "noop", "join": "all"}]}""";

  private ProcessDefinition review() {
    return parser.parse(Json.parse(REVIEW));
  }

  private static List<String> ids(List<Activity> activities) {
    return activities.stream().map(Activity::id).toList();
  }

  /** The ids of what follows {@code activityId}, for conditions that do not read steps. */
  private static List<String> next(
      ProcessDefinition definition, String activityId, JsonNode output, JsonNode input) {
    return ids(definition.successorsOf(activityId, output, input, NO_STEPS).activities());
  }

  private static final CompletedSteps NO_STEPS =
      () -> {
        throw new AssertionError("no condition here reads steps");
      };

  private static JsonNode score(double score) {
    return Json.object().put("score", score);
  }

  private List<Violation> violations(String json) {
    return Refusals.violations(parser, json);
  }

  @Test
  void transitionsAreParsedIntoTheModel() {
    Activity route = review().activity("route").orElseThrow();
    assertThat(route.next())
        .containsExactly(
            Transition.when("approve", FeelCondition.parse("output.score >= 0.8")),
            Transition.when(
                "reject", FeelCondition.parse("output.score < 0.3 or process.input.strict = true")),
            Transition.otherwise("escalate"),
            Transition.always("audit"));
    assertThat(review().activity("archive").orElseThrow().join()).isTrue();
    assertThat(review().activity("audit").orElseThrow().join()).isFalse();
  }

  @Test
  void successorsAreChosenByConditionsInclusivelyWithOtherwiseAsTheFallback() {
    ProcessDefinition definition = review();
    JsonNode lenient = Json.object().put("strict", false);
    JsonNode strict = Json.object().put("strict", true);

    assertThat(next(definition, "route", score(0.9), lenient)).containsExactly("approve", "audit");
    assertThat(next(definition, "route", score(0.1), lenient)).containsExactly("reject", "audit");
    assertThat(next(definition, "route", score(0.5), lenient)).containsExactly("escalate", "audit");
    // both conditions hold: both are taken (inclusive), otherwise is not
    assertThat(next(definition, "route", score(0.9), strict))
        .containsExactly("approve", "reject", "audit");
    // a missing score is null: no comparison holds (both are undecided), otherwise is taken
    assertThat(next(definition, "route", Json.object(), null)).containsExactly("escalate", "audit");
    assertThat(next(definition, "route", null, null)).containsExactly("escalate", "audit");
    // next absent: the next in the list; [] and the last activity: nothing
    assertThat(next(definition, "score", score(0), null)).containsExactly("route");
    assertThat(next(definition, "escalate", score(0), null)).isEmpty();
    assertThat(next(definition, "archive", score(0), null)).isEmpty();
    assertThatThrownBy(() -> next(definition, "nope", score(0), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no activity nope");
  }

  @Test
  void withoutAnyOtherwiseABranchCanEndWhenNoConditionHolds() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "d", "activities": [
                  {"id": "a", "orchestrator": "noop",
                   "next": [{"to": "b", "when": "output.go"}, {"to": "c", "when": "not(output.go)"}]},
                  {"id": "b", "orchestrator": "noop", "next": []},
                  {"id": "c", "orchestrator": "noop"}]}"""));
    assertThat(next(definition, "a", Json.object().put("go", true), null)).containsExactly("b");
    assertThat(next(definition, "a", Json.object().put("go", false), null)).containsExactly("c");
    // "yes" is neither true nor false: neither transition is taken, and both say why
    Successors yes = definition.successorsOf("a", Json.object().put("go", "yes"), null, NO_STEPS);
    assertThat(yes.activities()).isEmpty();
    assertThat(yes.undecided())
        .containsExactly(
            new Successors.UndecidedCondition(
                "b", "output.go", "is the string \"yes\", not true or false"),
            new Successors.UndecidedCondition("c", "not(output.go)", "is null, not true or false"));
    assertThat(definition.successorsOf("a", Json.object(), null, NO_STEPS).undecided())
        .extracting(Successors.UndecidedCondition::problem)
        .allMatch(p -> p.contains("No context entry found with key 'go'"));
  }

  @Test
  void conditionsReadTheLatestPassOfOtherStepsWhichAreAskedForOnlyWhenNeeded() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "s", "activities": [
                  {"id": "draft-1", "orchestrator": "noop"},
                  {"id": "check", "orchestrator": "noop", "next": [
                    {"to": "publish", "when": "steps.`draft-1`.output.words > 100 and output.ok"},
                    {"to": "shorten", "when": "get value(steps, \\"draft-1\\").output.words > 500"},
                    {"to": "fix", "otherwise": true}]},
                  {"id": "publish", "orchestrator": "noop", "next": [{"to": "fix", "when": "output.ok"}]},
                  {"id": "shorten", "orchestrator": "noop", "next": []},
                  {"id": "fix", "orchestrator": "noop", "join": "all"}]}"""));
    int[] asked = {0};
    CompletedSteps steps =
        () -> {
          asked[0]++;
          return Map.of("draft-1", new CompletedStep(Json.object().put("words", 800), 1));
        };
    JsonNode ok = Json.object().put("ok", true);
    assertThat(ids(definition.successorsOf("check", ok, null, steps).activities()))
        .containsExactly("publish", "shorten");
    assertThat(asked[0]).as("once for both conditions").isEqualTo(1);
    assertThat(ids(definition.successorsOf("publish", ok, null, steps).activities()))
        .containsExactly("fix");
    assertThat(ids(definition.successorsOf("draft-1", ok, null, steps).activities()))
        .containsExactly("check");
    assertThat(asked[0]).as("not for conditions that do not mention steps").isEqualTo(1);
    assertThat(
            ids(
                definition
                    .successorsOf(
                        "check", ok, null, () -> Map.of("check", new CompletedStep(ok, 1)))
                    .activities()))
        .as("draft-1 has not completed: its output is null")
        .containsExactly("fix");
  }

  @Test
  void conditionsNameOnlyActivitiesOfTheDefinitionInSteps() {
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "draft-1", "orchestrator": "noop"},
                  {"id": "b", "orchestrator": "noop", "next": [
                    {"to": "c", "when": "steps.draft-1.output.ok"},
                    {"to": "d", "when": "steps.`draft-1`.output.ok and steps.b.output = output"},
                    {"to": "e", "when": "steps.c.output.ok or steps.nope.output.ok"}]},
                  {"id": "c", "orchestrator": "noop"},
                  {"id": "d", "orchestrator": "noop"},
                  {"id": "e", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/1/next/0/when",
                "reads steps.draft, but the definition has no activity 'draft'; known: [b, c, d,"
                    + " draft-1, e] (write ids that are not FEEL names in backticks:"
                    + " steps.`draft-1`.output)"),
            new Violation(
                "/activities/1/next/2/when",
                "reads steps.nope, but the definition has no activity 'nope'; known: [b, c, d,"
                    + " draft-1, e] (write ids that are not FEEL names in backticks:"
                    + " steps.`draft-1`.output)"));
  }

  @Test
  void possibleSuccessorsPredecessorsAndReachability() {
    ProcessDefinition definition = review();
    assertThat(ids(definition.possibleSuccessorsOf("route")))
        .containsExactly("approve", "reject", "escalate", "audit");
    assertThat(ids(definition.possibleSuccessorsOf("score"))).containsExactly("route");
    assertThat(definition.possibleSuccessorsOf("archive")).isEmpty();
    assertThat(ids(definition.possiblePredecessorsOf("archive")))
        .containsExactly("approve", "reject", "audit");
    assertThat(ids(definition.possiblePredecessorsOf("route"))).containsExactly("score");
    assertThat(definition.possiblePredecessorsOf("score")).isEmpty();

    assertThat(definition.canReach("score", "archive")).isTrue();
    assertThat(definition.canReach("route", "archive")).isTrue();
    assertThat(definition.canReach("approve", "archive")).isTrue();
    assertThat(definition.canReach("score", "route")).isTrue();
    assertThat(definition.canReach("escalate", "archive")).isFalse();
    assertThat(definition.canReach("archive", "score")).isFalse();
    assertThat(definition.canReach("approve", "reject")).isFalse();
    assertThat(definition.canReach("route", "route")).as("length >= 1, no loops").isFalse();
    assertThat(definition.canReach("archive", "archive")).isFalse();
    assertThatThrownBy(() -> definition.canReach("score", "nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reachabilityFollowsListOrderToo() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "l", "activities": [
                  {"id": "a", "orchestrator": "noop"},
                  {"id": "b", "orchestrator": "noop", "next": ["d"]},
                  {"id": "c", "orchestrator": "noop"},
                  {"id": "d", "orchestrator": "noop"}]}"""));
    assertThat(definition.canReach("a", "d")).isTrue();
    assertThat(definition.canReach("a", "c")).isFalse();
    assertThat(definition.canReach("c", "d")).isTrue();
    assertThat(definition.canReach("d", "a")).isFalse();
  }

  @Test
  void theDefinitionRoundTripsThroughItsJson() {
    ProcessDefinition definition = review();
    JsonNode stored = Json.MAPPER.valueToTree(definition);

    JsonNode route = stored.path("activities").get(1);
    assertThat(route.path("next").get(0))
        .isEqualTo(Json.parse("{\"to\":\"approve\",\"when\":\"output.score >= 0.8\"}"));
    assertThat(route.path("next").get(2))
        .isEqualTo(Json.parse("{\"to\":\"escalate\",\"otherwise\":true}"));
    assertThat(route.path("next").get(3).asText()).isEqualTo("audit");
    assertThat(route.has("join")).as("no join is left out").isFalse();
    assertThat(stored.path("activities").get(0).path("next").isNull()).isTrue();
    assertThat(stored.path("activities").get(6).path("join").asText()).isEqualTo("all");

    ProcessDefinition again = parser.parse(Json.parse(Json.write(stored)));
    assertThat(again).isEqualTo(definition).hasSameHashCodeAs(definition);
    assertThat((JsonNode) Json.MAPPER.valueToTree(again)).isEqualTo(stored);
    assertThat(parser.parseStored(stored)).isEqualTo(definition);
  }

  @Test
  void theObjectFormWithoutAConditionIsAPlainTransition() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "o", "activities": [
                  {"id": "a", "orchestrator": "noop", "next": [{"to": "b"}]},
                  {"id": "b", "orchestrator": "noop"}]}"""));
    assertThat(definition.activity("a").orElseThrow().next())
        .containsExactly(Transition.always("b"));
    assertThat(Json.MAPPER.valueToTree(definition).path("activities").get(0).path("next"))
        .isEqualTo(Json.parse("[\"b\"]"));
  }

  @Test
  void badTransitionsArePointedAt() {
    List<Violation> violations =
        violations(
            """
            {"id": "t", "activities": [
              {"id": "a", "orchestrator": "noop", "next": [
                {"to": "b", "when": "output.x >"},
                {"to": "c", "when": "output.ok", "otherwise": true},
                {"when": "true"},
                {"to": "b", "unless": "x"},
                {"to": "d", "otherwise": false},
                7,
                {"to": "e", "when": 5}]},
              {"id": "b", "orchestrator": "noop"},
              {"id": "c", "orchestrator": "noop"},
              {"id": "d", "orchestrator": "noop"},
              {"id": "e", "orchestrator": "noop", "next": "a"}]}""");
    assertThat(violations)
        .containsExactlyInAnyOrder(
            new Violation(
                "/activities/0/next/0/when",
                "is not a valid FEEL condition: Expected (binaryComparison | between | instanceOf"
                    + " | in | \"and\" | \"or\" | end-of-input):1:10, found \">\""),
            new Violation(
                "/activities/0/next/1/otherwise",
                "cannot be combined with 'when'; a transition has a condition or is otherwise"),
            new Violation(
                "/activities/0/next/2/to", "is required: the id of the activity to go to"),
            new Violation(
                "/activities/0/next/3/unless",
                "is not a known field; known: [otherwise, to, when]"),
            new Violation(
                "/activities/0/next/4/otherwise",
                "must be true (the transition taken when no 'when' of this activity holds), or"
                    + " left out"),
            new Violation(
                "/activities/0/next/5",
                "must be an activity id (a string) or an object {\"to\": id, \"when\": condition}"
                    + " or {\"to\": id, \"otherwise\": true}"),
            new Violation(
                "/activities/0/next/6/when", "must be a condition (a FEEL expression string)"),
            new Violation(
                "/activities/4/next",
                "must be an array of activity ids or {\"to\", \"when\"|\"otherwise\"} objects"));
  }

  @Test
  void duplicateTargetsSecondOtherwiseAndUnknownTargetsAreRejected() {
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop", "next": [
                    {"to": "b", "when": "output.x = 1"},
                    {"to": "b", "when": "output.x = 2"},
                    {"to": "c", "otherwise": true},
                    {"to": "d", "otherwise": true}]},
                  {"id": "b", "orchestrator": "noop"},
                  {"id": "c", "orchestrator": "noop"},
                  {"id": "d", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/next/1",
                "names 'b' twice (also at /activities/0/next/0); combine the conditions with or"),
            new Violation(
                "/activities/0/next/3/otherwise",
                "only one transition of an activity may be otherwise; /activities/0/next/2 already"
                    + " is"));
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop", "next": ["b", {"to": "nowhere", "when": "true"}]},
                  {"id": "b", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/next/1/to", "names unknown activity 'nowhere'; known: [a, b]"));
  }

  @Test
  void aGuardedTransitionMayLeadBackToAnEarlierActivity() {
    ProcessDefinition loop =
        parser.parse(
            Json.parse(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop", "maxPasses": 4},
                  {"id": "b", "orchestrator": "noop",
                   "next": [{"to": "a", "when": "output.retry"}, {"to": "c", "otherwise": true}]},
                  {"id": "c", "orchestrator": "noop"}]}"""));

    assertThat(loop.hasLoops()).isTrue();
    assertThat(loop.inLoop("a")).isTrue();
    assertThat(loop.inLoop("b")).isTrue();
    assertThat(loop.inLoop("c")).isFalse();
    assertThat(loop.canReach("b", "a")).isTrue();
    assertThat(loop.canReachWithinPass("b", "a")).as("only by looping back").isFalse();
    assertThat(loop.canReachWithinPass("a", "c")).isTrue();
    assertThat(loop.activity("a").orElseThrow().maxPasses()).isEqualTo(4);
    assertThat(loop.activity("b").orElseThrow().maxPasses()).isEqualTo(Activity.DEFAULT_MAX_PASSES);
    assertThat(review().hasLoops()).isFalse();
  }

  @Test
  void aLoopWhoseTransitionsAreAllAlwaysTakenIsRejected() {
    String always =
        "a loop needs a transition that is not always taken (\"when\", or \"otherwise\""
            + " beside a \"when\") so it can be left";
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop"},
                  {"id": "b", "orchestrator": "noop", "next": [{"to": "a", "otherwise": true}]}]}"""))
        .as("an otherwise with no when beside it is always taken")
        .containsExactly(
            new Violation(
                "/activities/1/next", "forms a loop that would never end: a -> b -> a; " + always));
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop", "next": ["b", "c"]},
                  {"id": "b", "orchestrator": "noop", "next": ["a"]},
                  {"id": "c", "orchestrator": "noop", "next": [{"to": "a", "when": "output.x"}]}]}"""))
        .containsExactly(
            new Violation(
                "/activities/1/next", "forms a loop that would never end: a -> b -> a; " + always));
  }

  @Test
  void maxPassesIsAWholeNumberInRange() {
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop", "maxPasses": 0},
                  {"id": "b", "orchestrator": "noop", "maxPasses": 2.5}]}"""))
        .containsExactly(
            new Violation("/activities/0/maxPasses", "must be a whole number from 1 to 10000"),
            new Violation("/activities/1/maxPasses", "must be a whole number from 1 to 10000"));
  }

  @Test
  void joinsNeedTwoIncomingTransitionsAndCannotStartTheProcess() {
    assertThat(
            violations(
                """
                {"id": "j", "activities": [
                  {"id": "a", "orchestrator": "noop", "join": "all", "next": ["b", "c"]},
                  {"id": "b", "orchestrator": "noop", "join": "all", "next": ["d"]},
                  {"id": "c", "orchestrator": "noop", "next": []},
                  {"id": "d", "orchestrator": "noop", "next": []},
                  {"id": "e", "orchestrator": "noop", "join": "all"},
                  {"id": "f", "orchestrator": "noop", "join": "any"},
                  {"id": "g", "orchestrator": "noop", "join": true}]}"""))
        .containsExactlyInAnyOrder(
            new Violation(
                "/activities/5/join",
                "must be \"all\" (wait for every branch that can still arrive) or left out; got"
                    + " \"any\""),
            new Violation(
                "/activities/6/join",
                "must be \"all\" (wait for every branch that can still arrive) or left out; got"
                    + " true"));
    assertThat(
            violations(
                """
                {"id": "j", "activities": [
                  {"id": "a", "orchestrator": "noop", "join": "all", "next": ["b", "c"]},
                  {"id": "b", "orchestrator": "noop", "join": "all", "next": ["d"]},
                  {"id": "c", "orchestrator": "noop", "next": []},
                  {"id": "d", "orchestrator": "noop", "next": []},
                  {"id": "e", "orchestrator": "noop", "join": "all"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/join", "the first activity starts the process and cannot be a join"),
            new Violation(
                "/activities/1/join",
                "only one transition (from 'a') leads to this activity, so the join would wait for"
                    + " one branch only; a join needs two or more incoming transitions"),
            new Violation(
                "/activities/4/join",
                "no transition leads to this activity, so the join would wait for nothing; remove"
                    + " \"join\""));
  }

  @Test
  void aJoinReachedByConditionalAndListOrderTransitionsIsAccepted() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "j", "activities": [
                  {"id": "a", "orchestrator": "noop",
                   "next": [{"to": "b", "when": "output.b"}, {"to": "c", "otherwise": true}]},
                  {"id": "b", "orchestrator": "noop"},
                  {"id": "c", "orchestrator": "noop", "join": "all"}]}"""));
    assertThat(ids(definition.possiblePredecessorsOf("c"))).containsExactly("a", "b");
  }
}
