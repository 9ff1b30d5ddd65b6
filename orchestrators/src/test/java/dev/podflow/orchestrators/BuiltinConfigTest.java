package dev.podflow.orchestrators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.Refusals;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-ins' configs, as they check them at publish (found like the API finds them). */
class BuiltinConfigTest {
  private final DefinitionParser parser = new DefinitionParser(OrchestratorRegistry.discover());

  private List<Violation> violations(String json) {
    return Refusals.violations(parser, json);
  }

  @Test
  void theBuiltInsAreFoundOnTheClassPath() {
    assertThat(OrchestratorRegistry.discover().names())
        .isEqualTo("fail, human, noop, sleep, subprocess");
  }

  @Test
  void noopReadsNoConfigAndAcceptsAny() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "n", "activities": [{"id": "a", "orchestrator": "noop",
                                            "config": {"note": "ignored"}}]}"""));
    assertThat(definition.activities()).hasSize(1);
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
    assertThat(
            violations(
                """
        {"id":"h","activities":[
          {"id":"a","orchestrator":"human"},
          {"id":"b","orchestrator":"human","config":{"assignee":"  ","due":1}},
          {"id":"c","orchestrator":"human","config":{"assignee":"ada","form":{"type":"objekt"}}},
          {"id":"d","orchestrator":"human","config":{"assignee":7,"form":"yes"}}]}"""))
        .extracting(Violation::pointer)
        .containsOnly( // the meta-schema may say more than one thing about /type
            "/activities/0/config/assignee",
            "/activities/1/config/assignee",
            "/activities/1/config/due",
            "/activities/2/config/form/type",
            "/activities/3/config/assignee",
            "/activities/3/config/form");
  }

  @Test
  void subprocessConfigsAreCheckedAndCannotStartTheirOwnDefinition() {
    assertThat(
            violations(
                """
                {"id": "parent", "activities": [
                  {"id": "a", "orchestrator": "subprocess", "config": {"definition": "parent"}},
                  {"id": "b", "orchestrator": "subprocess", "config": {"version": 0, "input": {}}},
                  {"id": "c", "orchestrator": "subprocess", "config": {"definition": "x y", "version": "2"}}]}"""))
        .containsExactlyInAnyOrder(
            new Violation(
                "/activities/0/config/definition",
                "names this definition itself; the sub-process would start itself forever"),
            new Violation(
                "/activities/1/config/input", "is not a known field; known: [definition, version]"),
            new Violation("/activities/1/config/definition", "is required"),
            new Violation(
                "/activities/1/config/version", "must be a whole number from 1 to 2147483647"),
            new Violation(
                "/activities/2/config/definition",
                "must be a string matching [A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
            new Violation(
                "/activities/2/config/version", "must be a whole number from 1 to 2147483647"));
  }

  @Test
  void sleepNeedsAWholeNumberOfMillisecondsUpToADay() {
    assertThat(
            violations(
                """
                {"id": "naps", "activities": [
                  {"id": "a", "orchestrator": "sleep"},
                  {"id": "b", "orchestrator": "sleep", "config": {"ms": "soon"}},
                  {"id": "c", "orchestrator": "sleep", "config": {"ms": 86400001, "jitter": 1}},
                  {"id": "d", "orchestrator": "sleep", "config": {"ms": 86400000}}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/config/ms",
                "is required: a whole number of milliseconds from 0 to 86400000"),
            new Violation(
                "/activities/1/config/ms",
                "must be a whole number of milliseconds from 0 to 86400000"),
            new Violation("/activities/2/config/jitter", "is not a known field; known: [ms]"),
            new Violation(
                "/activities/2/config/ms",
                "must be a whole number of milliseconds from 0 to 86400000"));
  }

  @Test
  void failNeedsAMessageAndMayBeRetryable() {
    ProcessDefinition ok =
        parser.parse(
            Json.parse(
                """
                {"id": "f", "activities": [
                  {"id": "a", "orchestrator": "fail", "config": {"message": "order rejected"}},
                  {"id": "b", "orchestrator": "fail",
                   "config": {"message": "bank closed", "retryable": true}}]}"""));
    assertThat(ok.activities()).hasSize(2);
    assertThat(
            violations(
                """
                {"id": "f", "activities": [
                  {"id": "a", "orchestrator": "fail"},
                  {"id": "b", "orchestrator": "fail", "config": {"message": "  ", "retryable": "no"}},
                  {"id": "c", "orchestrator": "fail", "config": {"message": 7, "code": "E1"}}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/config/message",
                "is required: what the failure says, e.g. \"order rejected\""),
            new Violation("/activities/1/config/message", "must be a non-blank string"),
            new Violation("/activities/1/config/retryable", "must be true or false"),
            new Violation(
                "/activities/2/config/code", "is not a known field; known: [message, retryable]"),
            new Violation("/activities/2/config/message", "must be a non-blank string"));
  }
}
