package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The llm-action loop checkpoints after every model answer and tool result: the attempt after a
 * failed one carries on from there, asking the model nothing it answered and making no call it
 * made. (A pod killed mid-loop at a real MCP server: {@code McpExactlyOnceTest}.)
 */
class DurableAgentLoopTest extends LlmStepTestBase {

  @Test
  void theNextAttemptResumesAfterTheLastToolResultWithoutCallingAgain(TestDatabase db) {
    startPod(db, llm.podSettings(0)); // no retries inside an attempt: a 503 ends it
    agent("clock", null, "current_time");
    llm.toolCalls(new ToolCall("current_time", "{\"zone\":\"UTC\"}"))
        .error(503, "the model is down")
        .answer("It is late.");

    UUID instance = run(config("clock", "What time is it?"), Json.object(), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    Task task = task(instance);
    assertThat(task.attempts()).as("the 503 ended the first attempt").isEqualTo(2);
    assertThat(task.output().path("text").asText()).isEqualTo("It is late.");
    assertThat(events(instance, "tool_call")).as("the tool ran once").hasSize(1);
    assertThat(events(instance, "agent_resumed")).hasSize(1);
    JsonNode resumed = events(instance, "agent_resumed").getFirst().payload();
    assertThat(resumed.path("steps").asInt())
        .as("the failed model call is not counted")
        .isEqualTo(1);
    assertThat(llm.requests()).hasSize(3);
    JsonNode sent = llm.requests().get(2).messages();
    assertThat(sent.get(sent.size() - 1).path("role").asText())
        .as("the retried request ends with the tool result of the first attempt")
        .isEqualTo("tool");
    assertThat(sent.toString()).isEqualTo(llm.requests().get(1).messages().toString());
  }

  @Test
  void aRepairTurnInterruptedByAFailureIsTakenUpWhereItStopped(TestDatabase db) {
    startPod(db, llm.podSettings(0));
    agent("clerk", null);
    llm.answer("{\"name\":\"Ada\"}")
        .error(503, "the model is down")
        .answer("{\"name\":\"Ada\",\"age\":36}");
    var config = config("clerk", "Extract the person.");
    config.set(
        "outputSchema",
        Json.parse(
            "{\"type\":\"object\",\"required\":[\"name\",\"age\"],"
                + "\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}}}"));

    UUID instance = run(config, Json.object(), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).attempts()).isEqualTo(2);
    assertThat(task(instance).output().path("age").asInt()).isEqualTo(36);
    assertThat(llm.requests()).as("the first answer was not asked for again").hasSize(3);
    assertThat(llm.requests().get(2).prompt()).contains("does not match the JSON Schema");
    assertThat(llm.requests().get(2).messages().toString())
        .isEqualTo(llm.requests().get(1).messages().toString());
  }

  @Test
  void usingUpMaxStepsDropsTheCheckpointSoTheRetryStartsOver(TestDatabase db) {
    startPod(db);
    agent("clock", null, "current_time");
    var config = config("clock", "What time is it?").put("maxSteps", 1);
    llm.toolCalls(new ToolCall("current_time", "{}")).answer("Noon.");

    UUID instance = run(config, Json.object(), 2);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).attempts()).isEqualTo(2);
    assertThat(events(instance, "agent_resumed")).as("the retry started over").isEmpty();
    assertThat(llm.requests().get(1).messages().size())
        .as("the second attempt's request is a fresh prompt")
        .isEqualTo(llm.requests().get(0).messages().size());
  }
}
