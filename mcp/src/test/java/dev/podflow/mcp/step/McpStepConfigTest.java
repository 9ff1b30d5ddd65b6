package dev.podflow.mcp.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.definition.Refusals;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config of an {@code mcp} step, as it is checked at publish. */
class McpStepConfigTest {
  private final DefinitionParser parser = new DefinitionParser(OrchestratorRegistry.discover());

  @Test
  void aValidConfigIsAccepted() {
    parser.parse(
        Json.parse(
            """
            {"id": "m", "activities": [{"id": "call", "orchestrator": "mcp", "config": {
              "server": "crm", "tool": "create-lead",
              "arguments": {"name": "=process.input.name", "tags": ["=input.tag", "fixed"],
                            "note": "==not an expression", "nested": {"score": "=input.score + 1"}}}}]}"""));
  }

  @Test
  void missingFieldsAndFeelSyntaxErrorsArePointedAt() {
    List<Violation> violations =
        Refusals.violations(
            parser,
            """
            {"id": "m", "activities": [
              {"id": "a", "orchestrator": "mcp", "config": {"tool": 7, "extra": 1}},
              {"id": "b", "orchestrator": "mcp", "config": {"server": "s", "tool": "t",
                "arguments": {"x": "=input.a +", "deep": {"list": ["=(("]}}}},
              {"id": "c", "orchestrator": "mcp", "config": {"server": "s", "tool": "t",
                "arguments": ["not", "an", "object"]}}]}""");

    assertThat(violations)
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder(
            "/activities/0/config/extra",
            "/activities/0/config/server",
            "/activities/0/config/tool",
            "/activities/1/config/arguments/x",
            "/activities/1/config/arguments/deep/list/0",
            "/activities/2/config/arguments");
    assertThat(violations.stream().filter(v -> v.pointer().endsWith("/arguments/x")))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("is not a FEEL expression"));
  }
}
