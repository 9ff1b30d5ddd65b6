package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.Json;
import java.util.List;
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
          {"to": "reject", "when": "output.score < 0.3 || process.input.strict == true"},
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

  private static JsonNode score(double score) {
    return Json.object().put("score", score);
  }

  private List<Violation> violations(String json) {
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class, () -> parser.parse(Json.parse(json)));
    assertThat(e).as("expected the definition to be rejected").isNotNull();
    return e.violations();
  }

  @Test
  void transitionsAreParsedIntoTheModel() {
    Activity route = review().activity("route").orElseThrow();
    assertThat(route.next())
        .containsExactly(
            Transition.when("approve", Condition.parse("output.score >= 0.8")),
            Transition.when(
                "reject", Condition.parse("output.score < 0.3 || process.input.strict == true")),
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

    assertThat(ids(definition.successorsOf("route", score(0.9), lenient)))
        .containsExactly("approve", "audit");
    assertThat(ids(definition.successorsOf("route", score(0.1), lenient)))
        .containsExactly("reject", "audit");
    assertThat(ids(definition.successorsOf("route", score(0.5), lenient)))
        .containsExactly("escalate", "audit");
    // both conditions hold: both are taken (inclusive), otherwise is not
    assertThat(ids(definition.successorsOf("route", score(0.9), strict)))
        .containsExactly("approve", "reject", "audit");
    // a missing score is null: no comparison holds
    assertThat(ids(definition.successorsOf("route", Json.object(), null)))
        .containsExactly("escalate", "audit");
    assertThat(ids(definition.successorsOf("route", null, null)))
        .containsExactly("escalate", "audit");
    // next absent: the next in the list; [] and the last activity: nothing
    assertThat(ids(definition.successorsOf("score", score(0), null))).containsExactly("route");
    assertThat(definition.successorsOf("escalate", score(0), null)).isEmpty();
    assertThat(definition.successorsOf("archive", score(0), null)).isEmpty();
    assertThatThrownBy(() -> definition.successorsOf("nope", score(0), null))
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
                   "next": [{"to": "b", "when": "output.go"}, {"to": "c", "when": "!output.go"}]},
                  {"id": "b", "orchestrator": "noop", "next": []},
                  {"id": "c", "orchestrator": "noop"}]}"""));
    assertThat(ids(definition.successorsOf("a", Json.object().put("go", true), null)))
        .containsExactly("b");
    assertThat(ids(definition.successorsOf("a", Json.object().put("go", "yes"), null)))
        .containsExactly("c");
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
                "is not a valid condition: at column 11: expected a value (a path starting with"
                    + " 'output' or 'process.input', a number, a quoted string, true, false, null,"
                    + " '!' or '('), found the end of the condition"),
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
            new Violation("/activities/0/next/6/when", "must be a condition (a string)"),
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
                    {"to": "b", "when": "output.x == 1"},
                    {"to": "b", "when": "output.x == 2"},
                    {"to": "c", "otherwise": true},
                    {"to": "d", "otherwise": true}]},
                  {"id": "b", "orchestrator": "noop"},
                  {"id": "c", "orchestrator": "noop"},
                  {"id": "d", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/next/1",
                "names 'b' twice (also at /activities/0/next/0); combine the conditions with ||"),
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
  void loopsThroughConditionalTransitionsAreRejectedToo() {
    assertThat(
            violations(
                """
                {"id": "t", "activities": [
                  {"id": "a", "orchestrator": "noop"},
                  {"id": "b", "orchestrator": "noop",
                   "next": [{"to": "a", "when": "output.retry"}, {"to": "c", "otherwise": true}]},
                  {"id": "c", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation("/activities/1/next", "forms a loop that would never end: a -> b -> a"));
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
