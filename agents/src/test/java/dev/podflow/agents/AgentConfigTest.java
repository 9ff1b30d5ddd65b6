package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.Refusals;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configs of llm-action and deep-research, as they check them at publish. */
class AgentConfigTest {
  private final DefinitionParser parser = new DefinitionParser(OrchestratorRegistry.discover());

  private List<Violation> violations(String json) {
    return Refusals.violations(parser, json);
  }

  @Test
  void validLlmActionAndDeepResearchConfigsAreAccepted() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "report", "activities": [
                  {"id": "draft", "orchestrator": "llm-action", "config": {
                    "agent": "writer", "prompt": "Write about {{ input.topic }} for {{process.input.company}}",
                    "outputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
                    "maxSteps": 50}},
                  {"id": "dig", "orchestrator": "deep-research", "config": {
                    "prompt": "Check {{steps.draft.output.text}} against {{input}}", "maxQuestions": 12,
                    "agents": {"planner": "p", "researcher": "r", "analyst": "a", "critic": "c",
                               "writer": "writer"}}},
                  {"id": "child", "orchestrator": "subprocess",
                   "config": {"definition": "archive", "version": 3}},
                  {"id": "latest", "orchestrator": "subprocess", "config": {"definition": "archive"}},
                  {"id": "minimal", "orchestrator": "llm-action",
                   "config": {"agent": "a.b-c_1", "prompt": "Hi {{steps.dig.output}}"}},
                  {"id": "research", "orchestrator": "deep-research", "config": {"prompt": "Why?"}}]}"""));
    assertThat(definition.activities()).hasSize(6);
    JsonNode stored = Json.MAPPER.valueToTree(definition);
    assertThat(parser.parse(stored)).isEqualTo(definition);
  }

  @Test
  void llmActionConfigsAreChecked() {
    assertThat(
            violations(
                """
                {"id": "l", "activities": [
                  {"id": "a", "orchestrator": "llm-action"},
                  {"id": "b", "orchestrator": "llm-action", "config": {
                    "agent": "no spaces", "prompt": "   ", "maxSteps": 51, "temperature": 1}},
                  {"id": "c", "orchestrator": "llm-action", "config": {
                    "agent": 7, "prompt": ["x"], "maxSteps": 0, "outputSchema": {"type": "objekt"}}},
                  {"id": "d", "orchestrator": "llm-action",
                   "config": {"agent": "w", "prompt": "x", "maxSteps": 2.5, "outputSchema": true}}]}"""))
        .extracting(Violation::pointer)
        .containsOnly( // the meta-schema may say more than one thing about /type
            "/activities/0/config/agent",
            "/activities/0/config/prompt",
            "/activities/1/config/agent",
            "/activities/1/config/prompt",
            "/activities/1/config/maxSteps",
            "/activities/1/config/temperature",
            "/activities/2/config/agent",
            "/activities/2/config/prompt",
            "/activities/2/config/maxSteps",
            "/activities/2/config/outputSchema/type",
            "/activities/3/config/maxSteps",
            "/activities/3/config/outputSchema");
    assertThat(
            violations(
                """
                {"id": "l", "activities": [{"id": "a", "orchestrator": "llm-action", "config": {
                   "agent": "no spaces", "maxSteps": 51, "temperature": 1, "assignee": " "}}]}"""))
        .containsExactlyInAnyOrder(
            new Violation(
                "/activities/0/config/assignee",
                "must be a non-blank user id of at most 200 characters"),
            new Violation(
                "/activities/0/config/temperature",
                "is not a known field; known: [agent, assignee, maxSteps, outputSchema, prompt]"),
            new Violation(
                "/activities/0/config/agent",
                "must be an agent id matching [A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
            new Violation("/activities/0/config/prompt", "is required: the prompt template"),
            new Violation("/activities/0/config/maxSteps", "must be a whole number from 1 to 50"));
    assertThat(
            violations(
                """
                {"id": "l", "activities": [{"id": "a", "orchestrator": "llm-action",
                  "config": {"prompt": "x"}}]}"""))
        .containsExactly(
            new Violation(
                "/activities/0/config/agent",
                "is required: the id of an agent profile (POST /api/v1/agents)"));
  }

  @Test
  void promptPlaceholdersMustStartAtAKnownRoot() {
    assertThat(
            violations(
                """
                {"id": "p", "activities": [
                  {"id": "first", "orchestrator": "noop", "next": ["a", "side"]},
                  {"id": "a", "orchestrator": "llm-action", "config": {"agent": "w", "prompt":
                    "{{input.x}} {{process.input}} {{output.x}} {{process.x}} {{steps.ghost.output}} {{steps.first.output.y}} {{steps.first}} {{input..x}} {{steps.a.output}} {{steps.side.output}} {{ not a placeholder }}"}},
                  {"id": "side", "orchestrator": "noop"}]}"""))
        .containsExactly(
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{output.x}} has an unknown root; placeholders start with input,"
                    + " process.input or steps.<activity id>.output"),
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{process.x}} has an unknown root; placeholders start with input,"
                    + " process.input or steps.<activity id>.output"),
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{steps.ghost.output}} names an unknown activity; known: [a, first,"
                    + " side]"),
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{steps.first}} must go on with .output after the activity id:"
                    + " {{steps.first.output…}}"),
            new Violation(
                "/activities/1/config/prompt", "placeholder {{input..x}} has an empty segment"),
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{steps.a.output}} refers to this activity's own output, which does"
                    + " not exist while it runs"),
            new Violation(
                "/activities/1/config/prompt",
                "placeholder {{steps.side.output}} refers to activity 'side', which never runs"
                    + " before this one (no path of transitions leads from it here)"));
  }

  @Test
  void stepPlaceholdersFindActivityIdsWithDots() {
    ProcessDefinition definition =
        parser.parse(
            Json.parse(
                """
                {"id": "p", "activities": [
                  {"id": "step.one", "orchestrator": "noop"},
                  {"id": "a", "orchestrator": "llm-action",
                   "config": {"agent": "w", "prompt": "{{steps.step.one.output.items.0}}"}}]}"""));
    assertThat(definition.activities()).hasSize(2);
  }

  @Test
  void deepResearchConfigsAreChecked() {
    assertThat(
            violations(
                """
                {"id": "d", "activities": [
                  {"id": "a", "orchestrator": "deep-research", "config": {
                    "maxQuestions": 13, "outputSchema": {"type": "object"},
                    "agents": {"planner": "ok", "editor": "x", "critic": "bad id", "a/b": "y"}}},
                  {"id": "b", "orchestrator": "deep-research",
                   "config": {"prompt": "About {{steps.zzz.output}}", "maxQuestions": 0, "agents": ["p"]}}]}"""))
        .containsExactlyInAnyOrder(
            new Violation(
                "/activities/0/config/outputSchema",
                "is not a known field; known: [agents, maxQuestions, prompt]"),
            new Violation("/activities/0/config/prompt", "is required: the prompt template"),
            new Violation(
                "/activities/0/config/maxQuestions", "must be a whole number from 1 to 12"),
            new Violation(
                "/activities/0/config/agents/editor",
                "is not a deep-research role; roles: [analyst, critic, planner, researcher,"
                    + " writer]"),
            new Violation(
                "/activities/0/config/agents/critic",
                "must be an agent id matching [A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
            new Violation(
                "/activities/0/config/agents/a~1b",
                "is not a deep-research role; roles: [analyst, critic, planner, researcher,"
                    + " writer]"),
            new Violation(
                "/activities/1/config/maxQuestions", "must be a whole number from 1 to 12"),
            new Violation(
                "/activities/1/config/agents",
                "must be an object naming an agent id per role; roles: [analyst, critic, planner,"
                    + " researcher, writer]"));
  }
}
