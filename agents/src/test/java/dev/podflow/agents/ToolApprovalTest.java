package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.suspension.FormViolationException;
import dev.podflow.engine.suspension.TaskNotWaitingException;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A tool whose profile entry says {@code "approval": "always"} runs only once a person says so. */
class ToolApprovalTest extends LlmStepTestBase {
  private static final Map<String, String> GUARDED_CLOCK =
      Map.of("name", "current_time", "approval", "always");

  @Test
  void anApprovedCallRunsWithThePersonsArguments(TestDatabase db) {
    startPod(db);
    agent("clock", null, GUARDED_CLOCK);
    llm.toolCalls(new ToolCall("current_time", "{\"zone\":\"Mars/Olympus\"}"))
        .answer("It is late in Berlin.");

    UUID instance =
        run(config("clock", "What time is it?").put("assignee", "ada"), Json.object(), 3);

    Task waiting = awaitWaiting(instance);
    assertThat(waiting.waitingFor()).isEqualTo(WaitingFor.APPROVAL);
    assertThat(waiting.assignee()).isEqualTo("ada");
    JsonNode approval = waiting.checkpoint().path("state").path("approval");
    assertThat(approval.path("tool").asText()).isEqualTo("current_time");
    assertThat(approval.path("arguments").path("zone").asText()).isEqualTo("Mars/Olympus");
    assertThat(events(instance, "tool_call")).as("nothing ran yet").isEmpty();
    assertThat(events(instance, "approval_requested")).hasSize(1);

    engine()
        .suspensions()
        .answer(
            waiting.id(),
            Json.parse("{\"approve\":true,\"arguments\":{\"zone\":\"Europe/Berlin\"}}"),
            "test");

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("It is late in Berlin.");
    JsonNode call = events(instance, "tool_call").getFirst().payload();
    assertThat(call.path("arguments").asText()).contains("Europe/Berlin");
    JsonNode sent = llm.requests().get(1).messages();
    assertThat(sent.get(sent.size() - 1).path("content").asText()).matches(".*\\+0[12]:00.*");
  }

  @Test
  void aRefusalReachesTheModelAsTheToolsResult(TestDatabase db) {
    startPod(db);
    agent("clock", null, GUARDED_CLOCK);
    llm.toolCalls(new ToolCall("current_time", "{}")).answer("Understood, no clock.");

    UUID instance =
        run(config("clock", "What time is it?").put("assignee", "ada"), Json.object(), 3);
    Task waiting = awaitWaiting(instance);
    assertThatThrownBy(
            () -> engine().suspensions().answer(waiting.id(), Json.parse("{\"ok\":1}"), "test"))
        .as("an answer that is no decision is refused")
        .isInstanceOf(FormViolationException.class);
    engine()
        .suspensions()
        .answer(waiting.id(), Json.parse("{\"approve\":false,\"reason\":\"not now\"}"), "test");

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(events(instance, "tool_call")).as("the call was never made").isEmpty();
    JsonNode sent = llm.requests().get(1).messages();
    assertThat(sent.get(sent.size() - 1).path("content").asText())
        .isEqualTo("error: a person refused this call: not now");
  }

  @Test
  void ofManyConcurrentAnswersExactlyOneWins(TestDatabase db) throws Exception {
    startPod(db);
    agent("clock", null, GUARDED_CLOCK);
    llm.toolCalls(new ToolCall("current_time", "{}")).answer("Done.");
    UUID instance =
        run(config("clock", "What time is it?").put("assignee", "ada"), Json.object(), 3);
    Task waiting = awaitWaiting(instance);

    int answers = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(answers)) {
      for (int i = 0; i < answers; i++) {
        boolean approve = i % 2 == 0;
        Engine engine = engine();
        Callable<Boolean> answer =
            () -> {
              go.await();
              try {
                engine
                    .suspensions()
                    .answer(
                        waiting.id(),
                        Json.object().put("approve", approve).put("reason", "no"),
                        "person");
                return true;
              } catch (TaskNotWaitingException e) {
                return false;
              }
            };
        outcomes.add(pool.submit(answer));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> outcome : outcomes) if (outcome.get()) won++;
      assertThat(won).isEqualTo(1);
    }

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(events(instance, "task_resumed")).hasSize(1);
    assertThat(llm.requests()).hasSize(2);
  }
}
