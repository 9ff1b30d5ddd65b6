package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.memory.PodMemory;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template's {@code steps} root and the prompt's "Earlier steps" block, without a database. */
class PromptContextTest {
  private static final Agent AGENT =
      new Agent(
          "a",
          "A",
          "persona",
          "",
          null,
          Json.MAPPER.createArrayNode(),
          "llm-action",
          null,
          null,
          null,
          null);

  private static InstanceHistory.DoneStep step(long id, String activity, JsonNode output) {
    return new InstanceHistory.DoneStep(
        id, activity, 1, activity, output, Instant.ofEpochSecond(1_700_000_000L + id));
  }

  private static String user(InstanceHistory history) {
    List<ChatMessage> messages =
        PromptBuilder.messages(
            AGENT, "Do it.", Json.object(), Json.object(), history, null, PodMemory.Recall.NOTHING);
    return ((UserMessage) messages.getLast()).singleText();
  }

  @Test
  void stepsReadTheLatestDoneOutputOfAnActivityAlsoWithDotsInItsId() {
    InstanceHistory history =
        new InstanceHistory(
            List.of(
                step(1, "draft", Json.parse("{\"text\":\"old\"}")),
                step(2, "v1.check", Json.parse("{\"items\":[\"x\",\"y\"]}")),
                step(3, "draft", Json.parse("{\"text\":\"new\"}"))));

    String rendered =
        PromptTemplate.render(
            "{{steps.draft.output.text}} {{ steps.v1.check.output.items.1 }} {{steps.draft.output}}",
            Json.object(),
            Json.object(),
            history.latestOutputs());

    assertThat(rendered).isEqualTo("new y {\"text\":\"new\"}");
  }

  @Test
  void aLoopShowsEachActivitysLatestPassWithItsNumber() {
    InstanceHistory history =
        new InstanceHistory(
            List.of(
                new InstanceHistory.DoneStep(
                    1, "draft", 1, "draft", Json.parse("{\"text\":\"v1\"}"), Instant.EPOCH),
                new InstanceHistory.DoneStep(
                    2, "review", 1, "review", Json.parse("{\"ok\":false}"), Instant.EPOCH),
                new InstanceHistory.DoneStep(
                    3, "draft", 2, "draft", Json.parse("{\"text\":\"v2\"}"), Instant.EPOCH)));

    assertThat(history.steps())
        .extracting(InstanceHistory.DoneStep::taskId)
        .containsExactly(2L, 3L);
    assertThat(history.latestOutputs().get("draft").path("text").asText()).isEqualTo("v2");
    assertThat(user(history))
        .contains("- review output:\n{\"ok\":false}\n- draft, pass 2 output:\n{\"text\":\"v2\"}")
        .doesNotContain("v1");
  }

  @Test
  void aMissingStepOrFieldOrAMalformedStepsPathIsAPermanentError() {
    Map<String, JsonNode> outputs = Map.of("draft", Json.parse("{\"text\":\"t\"}"));
    assertThatThrownBy(
            () -> PromptTemplate.render("{{steps.review.output}}", Json.object(), null, outputs))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("'review' has no DONE task", "done so far: draft");
    assertThatThrownBy(
            () ->
                PromptTemplate.render("{{steps.draft.output.title}}", Json.object(), null, outputs))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("{{steps.draft.output.title}} names nothing");
    assertThatThrownBy(() -> PromptTemplate.render("{{steps.draft}}", Json.object(), null, outputs))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("{{steps.<activityId>.output}}");
  }

  @Test
  void earlierStepsAreListedOldestFirstWithTheirNames() {
    InstanceHistory history =
        new InstanceHistory(
            List.of(
                new InstanceHistory.DoneStep(
                    1, "draft", 1, "Agent drafts", Json.parse("{\"text\":\"D\"}"), Instant.EPOCH),
                step(2, "review", Json.parse("{\"approved\":true}"))));

    String user = user(history);

    assertThat(user)
        .contains(
            PromptBuilder.HISTORY_HEADING
                + "\n- draft (Agent drafts) output:\n{\"text\":\"D\"}\n"
                + "- review output:\n{\"approved\":true}\n");
    assertThat(user(InstanceHistory.EMPTY)).doesNotContain(PromptBuilder.HISTORY_HEADING);
  }

  @Test
  void longOutputsAreAbbreviatedAndTheNewestStepsKept() {
    List<InstanceHistory.DoneStep> steps = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      steps.add(step(i, "s" + i, Json.object().put("text", ("step" + i + " ").repeat(1000))));
    }

    String user = user(new InstanceHistory(steps));
    String block = user.substring(user.indexOf(PromptBuilder.HISTORY_HEADING));

    assertThat(block).contains("- s10 output:", "- s9 output:", "- s8 output:", "- s7 output:");
    assertThat(block).doesNotContain("- s6 output:", "- s1 output:");
    assertThat(block).contains("(6 earlier step(s) left out for length)");
    assertThat(block.indexOf("- s7 output:")).isLessThan(block.indexOf("- s10 output:"));
    assertThat(block).contains("… (abbreviated; ");
    assertThat(block.length())
        .isLessThanOrEqualTo(PromptBuilder.HISTORY_CHARS + 500)
        .isGreaterThan(4 * PromptBuilder.STEP_CHARS);
  }

  @Test
  void aSingleHugeStepIsStillShownAbbreviated() {
    String user =
        user(
            new InstanceHistory(
                List.of(step(1, "only", Json.object().put("text", "x".repeat(50_000))))));

    assertThat(user).contains("- only output:", "characters in all)");
    assertThat(user.length()).isLessThan(PromptBuilder.STEP_CHARS + 500);
  }
}
