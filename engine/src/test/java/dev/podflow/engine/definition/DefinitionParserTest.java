package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.podflow.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
  private final DefinitionParser parser = new DefinitionParser();

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

  @Test
  void humanActivitiesNeedAnAssigneeAndAValidForm() {
    ProcessDefinition ok =
        parser.parse(
            Json.parse(
                """
        {"id":"h","activities":[
          {"id":"a","orchestrator":"human","config":{"assignee":"ada"}},
          {"id":"b","orchestrator":"human","config":{"assignee":"bob",
            "form":{"type":"object","required":["ok"],"properties":{"ok":{"type":"boolean"}}}}}]}"""));
    assertThat(ok.activities()).hasSize(2);
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () ->
                parser.parse(
                    Json.parse(
                        """
        {"id":"h","activities":[
          {"id":"a","orchestrator":"human"},
          {"id":"b","orchestrator":"human","config":{"assignee":"  ","due":1}},
          {"id":"c","orchestrator":"human","config":{"assignee":"ada","form":{"type":"objekt"}}},
          {"id":"d","orchestrator":"human","config":{"assignee":7,"form":"yes"}}]}""")));
    assertThat(e.violations())
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsOnly( // the meta-schema may say more than one thing about /type
            "/activities/0/config/assignee",
            "/activities/1/config/assignee",
            "/activities/1/config/due",
            "/activities/2/config/form/type",
            "/activities/3/config/assignee",
            "/activities/3/config/form");
  }
}
