package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
  private final DefinitionParser parser = new DefinitionParser(TestOrchestrators.REGISTRY);

  @Test
  void linearDefinitionGetsDefaultsAndListOrder() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
        {"id":"greet","activities":[{"id":"a","orchestrator":"noop"},{"id":"b","orchestrator":"sleep","config":{"ms":5}}]}"""));
    assertThat(definition.name()).isEqualTo("greet");
    assertThat(definition.firstActivity().id()).isEqualTo("a");
    assertThat(definition.firstActivity().maxAttempts()).isEqualTo(Activity.DEFAULT_MAX_ATTEMPTS);
    assertThat(definition.successorsOf("a", null, null, CompletedSteps.NONE).activities())
        .extracting(Activity::id)
        .containsExactly("b");
    assertThat(definition.successorsOf("b", null, null, CompletedSteps.NONE).activities())
        .isEmpty();
  }

  @Test
  void aDefinitionMayBePublishedAsAnA2aAgentWithADescriptionAndSkills() {
    ProcessDefinition agent =
        parser.parse(
            Json.parse(
                """
        {"id":"legal","a2a":{"description":"Reviews clauses.","skills":[
          {"id":"review","name":"Review","description":"One clause."}]},
         "activities":[{"id":"a","orchestrator":"noop"}]}"""));
    assertThat(agent.a2a().path("skills").get(0).path("id").asText()).isEqualTo("review");
    assertThat(Json.MAPPER.valueToTree(agent).has("a2a")).isTrue();
    assertThat(
            Json.MAPPER
                .valueToTree(
                    parser.parse(
                        Json.parse(
                            "{\"id\":\"plain\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}")))
                .has("a2a"))
        .as("stored as before when not an agent")
        .isFalse();

    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"legal","a2a":{"skills":[{"id":"-x","name":"R"}],"card":1},
         "activities":[{"id":"a","orchestrator":"noop"}]}""")));
    assertThat(e.violations())
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder(
            "/a2a/card", "/a2a/description", "/a2a/skills/0/id", "/a2a/skills/0/description");
  }

  @Test
  void nextOverridesListOrderAndFansOut() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
        {"id":"fan","activities":[
          {"id":"a","orchestrator":"noop","next":["c","b"]},
          {"id":"b","orchestrator":"noop","next":[]},
          {"id":"c","orchestrator":"noop"}]}"""));
    assertThat(definition.successorsOf("a", null, null, CompletedSteps.NONE).activities())
        .extracting(Activity::id)
        .containsExactly("c", "b");
    assertThat(definition.successorsOf("b", null, null, CompletedSteps.NONE).activities())
        .isEmpty();
  }

  @Test
  void everyProblemIsReportedWithAPointerToIt() {
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"bad id!","colour":"red","activities":[
          {"id":"a","orchestrator":"noop","next":["nowhere"]},
          {"orchestrator":"Not Valid","maxAttempts":0},
          {"id":"a","orchestrator":"noop","config":[]}]}""")));
    List<String> pointers =
        e.violations().stream().map(InvalidDefinitionException.Violation::pointer).toList();
    assertThat(pointers)
        .contains(
            "/id",
            "/colour",
            "/activities/1/id",
            "/activities/1/orchestrator",
            "/activities/1/maxAttempts",
            "/activities/2/config");
    assertThat(e.getMessage())
        .contains("/activities/1/maxAttempts: must be a whole number from 1 to 100");
  }

  @Test
  void unknownSuccessorAndDuplicateIdsAreNamed() {
    InvalidDefinitionException unknown =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"x","activities":[{"id":"a","orchestrator":"noop","next":["nowhere"]}]}""")));
    assertThat(unknown.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/activities/0/next/0");
              assertThat(v.message()).contains("unknown activity 'nowhere'");
            });
    InvalidDefinitionException duplicate =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"x","activities":[{"id":"a","orchestrator":"noop"},{"id":"a","orchestrator":"noop"}]}""")));
    assertThat(duplicate.violations())
        .singleElement()
        .extracting(InvalidDefinitionException.Violation::pointer)
        .isEqualTo("/activities/1/id");
  }

  @Test
  void loopsOfAlwaysTakenTransitionsAreRejected() {
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"loop","activities":[{"id":"a","orchestrator":"noop"},{"id":"b","orchestrator":"noop","next":["a"]}]}""")));
    assertThat(e.getMessage()).contains("loop").contains("a -> b -> a");
  }

  @Test
  void emptyOrNonObjectDefinitionsAreRejected() {
    assertThat(
            catchThrowableOfType(
                    InvalidDefinitionException.class, () -> parser.parse(Json.parse("[]")))
                .violations())
        .singleElement()
        .extracting(InvalidDefinitionException.Violation::pointer)
        .isEqualTo("");
    assertThat(
            catchThrowableOfType(
                    InvalidDefinitionException.class,
                    () -> parser.parse(Json.parse("{\"id\":\"x\",\"activities\":[]}")))
                .violations())
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsExactly("/activities");
  }

  @Test
  void timeoutAndBackoffHaveDefaultsAndLimits() {
    Activity defaults =
        parser
            .parse(
                Json.parse(
                    "{\"id\":\"t\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"))
            .firstActivity();
    assertThat(defaults.timeoutSeconds()).isEqualTo(Activity.DEFAULT_TIMEOUT_SECONDS);
    assertThat(defaults.backoff()).isEqualTo(Backoff.DEFAULT);

    Activity tuned =
        parser
            .parse(
                Json.parse(
                    """
            {"id":"t","activities":[{"id":"a","orchestrator":"noop","timeoutSeconds":5,
             "backoff":{"initialSeconds":0.5,"maxSeconds":10}}]}"""))
            .firstActivity();
    assertThat(tuned.timeoutSeconds()).isEqualTo(5);
    assertThat(tuned.backoff()).isEqualTo(new Backoff(0.5, 10));

    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"t","activities":[
          {"id":"a","orchestrator":"noop","timeoutSeconds":0,"backoff":{"initialSeconds":5,"maxSeconds":1}},
          {"id":"b","orchestrator":"noop","backoff":{"initialSeconds":-1,"every":2}},
          {"id":"c","orchestrator":"noop","backoff":3}]}""")));
    assertThat(e.violations())
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsExactlyInAnyOrder(
            "/activities/0/timeoutSeconds",
            "/activities/0/backoff/maxSeconds",
            "/activities/1/backoff/every",
            "/activities/1/backoff/initialSeconds",
            "/activities/2/backoff");
  }

  @Test
  void backoffGrowsExponentiallyWithinItsCapAndJitters() {
    Backoff backoff = new Backoff(1, 8);
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delayAfter(1).toMillis()).isBetween(500L, 1000L);
      assertThat(backoff.delayAfter(3).toMillis()).isBetween(2000L, 4000L);
      assertThat(backoff.delayAfter(10).toMillis()).isBetween(4000L, 8000L);
    }
  }

  /** What the parser refuses {@code json} for. */
  private List<Violation> violations(String json) {
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class, () -> parser.parse(Json.parse(json)));
    assertThat(e).as("expected the definition to be refused").isNotNull();
    return e.violations();
  }

  @Test
  void anOrchestratorNoPlugInProvidesIsRefusedWithTheKnownNames() {
    assertThat(
            violations(
                """
        {"id":"typo","activities":[{"id":"a","orchestrator":"noop"},{"id":"b","orchestrator":"nooop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/1/orchestrator",
                "names unknown orchestrator 'nooop'; known: [noop, sleep, strict]"));
  }

  @Test
  void eachPlugInChecksItsOwnConfigUnderTheActivitysConfigPointer() {
    assertThat(
            violations(
                """
        {"id":"s","activities":[
          {"id":"a","orchestrator":"strict","config":{"level":0,"colour":"red"}},
          {"id":"b","orchestrator":"noop","config":{"anything":"goes"}}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/config/colour", "is not a known field; known: [level, step]"),
            new Violation("/activities/0/config/level", "must be a whole number from 1 to 3"));
  }

  @Test
  void graphChecksOfPlugInsRunOnceTheRestOfTheDefinitionIsValid() {
    // 'strict' asks the graph whether its "step" can run before it
    String laterStep =
        """
        {"id":"g","activities":[
          {"id":"a","orchestrator":"strict","config":{"step":"b"}},
          {"id":"b","orchestrator":"noop"%s}]}""";
    assertThat(violations(laterStep.formatted("")))
        .containsExactly(
            new Violation("/activities/0/config/step", "'b' never runs before this activity"));

    assertThat(violations(laterStep.formatted(",\"maxAttempts\":0")))
        .extracting(Violation::pointer)
        .as("no graph to ask while an activity is invalid")
        .containsExactly("/activities/1/maxAttempts");
  }

  @Test
  void storedDefinitionsAreReadWithoutJudgingNamesOrConfigsAgain() {
    // As an older Podflow might have stored it: a plug-in since removed, a config since refused.
    JsonNode stored =
        Json.parse(
            """
            {"id": "old", "name": "old", "activities": [
              {"id": "a", "name": "a", "orchestrator": "removed", "config": {"x": 1},
               "next": null, "maxAttempts": 3, "priority": 0, "timeoutSeconds": 3600,
               "backoff": {"initialSeconds": 1.0, "maxSeconds": 300.0}},
              {"id": "b", "name": "b", "orchestrator": "strict", "config": {"level": 99},
               "next": null, "maxAttempts": 3, "priority": 0, "timeoutSeconds": 3600,
               "backoff": {"initialSeconds": 1.0, "maxSeconds": 300.0}}]}""");
    ProcessDefinition old = parser.parseStored(stored);
    assertThat(old.firstActivity().orchestrator()).isEqualTo("removed");
    assertThat(old.activity("b").orElseThrow().config().path("level").asInt()).isEqualTo(99);
    assertThat(catchThrowableOfType(InvalidDefinitionException.class, () -> parser.parse(stored)))
        .isNotNull();
  }
}
