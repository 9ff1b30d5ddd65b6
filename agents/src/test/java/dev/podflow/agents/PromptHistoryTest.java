package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prompts carry the instance's history: {@code {{steps.<id>.output}}} and the "Earlier steps"
 * block, asserted on the requests a real OpenAI client sent to a scripted endpoint.
 */
class PromptHistoryTest extends LlmStepTestBase {
  @BeforeEach
  void startPod(TestDatabase db) {
    startPod(db, llm.podSettings(0));
    agent("writer", null);
  }

  @Test
  void laterStepsSeeEarlierOutputsByNameAndInTheContext() {
    ObjectNode definition = Json.object().put("id", "history");
    ArrayNode activities = definition.putArray("activities");
    activities
        .addObject()
        .put("id", "intro")
        .put("name", "Receive the brief")
        .put("orchestrator", "noop");
    llmStep(activities, "draft", "Draft a note about {{process.input.topic}}.");
    ObjectNode review =
        activities
            .addObject()
            .put("id", "review")
            .put("name", "Human review")
            .put("orchestrator", "human");
    review.putObject("config").put("assignee", "reviewer");
    llmStep(
        activities,
        "finalise",
        "Polish [{{steps.draft.output.text}}] for {{steps.intro.output.name}};"
            + " reviewer said: {{input.comments}}");
    llm.answer("DRAFT-7 about tides").answer("FINAL-9");

    UUID instance = start(definition, Json.parse("{\"topic\":\"tides\",\"name\":\"Ada\"}"));
    Task waiting = awaitWaitingTask(instance);
    engine()
        .suspensions()
        .answer(
            waiting.id(), Json.parse("{\"approved\":true,\"comments\":\"More moon.\"}"), "test");

    Eventually.await(
        PATIENCE, "instance completed", () -> testDb.instanceStatus(instance).equals("COMPLETED"));
    List<ScriptedLlmServer.RecordedRequest> requests = llm.requests();
    assertThat(requests).hasSize(2);

    String draftPrompt = userMessage(requests.get(0));
    assertThat(draftPrompt)
        .contains(PromptBuilder.HISTORY_HEADING, "- intro (Receive the brief) output:")
        .doesNotContain("- draft");

    String finalPrompt = userMessage(requests.get(1));
    assertThat(finalPrompt)
        .startsWith("Polish [DRAFT-7 about tides] for Ada; reviewer said: More moon.")
        .contains(PromptBuilder.HISTORY_HEADING, "{\"text\":\"DRAFT-7 about tides\"}")
        .contains("{\"approved\":true,\"comments\":\"More moon.\"}");
    int intro = finalPrompt.indexOf("- intro (Receive the brief) output:");
    int draft = finalPrompt.indexOf("- draft output:");
    int reviewed = finalPrompt.indexOf("- review (Human review) output:");
    assertThat(intro).isPositive();
    assertThat(draft).isGreaterThan(intro);
    assertThat(reviewed).isGreaterThan(draft);
    assertThat(finalPrompt).doesNotContain("- finalise");
  }

  @Test
  void aStepThatWasSkippedFailsThePlaceholderPermanently() {
    // 'maybe' can run before 'final' (so the upload accepts the placeholder), but its condition
    // does not hold: when 'final' runs, 'maybe' has no DONE task.
    ObjectNode definition = Json.object().put("id", "skipped");
    ArrayNode activities = definition.putArray("activities");
    ArrayNode next =
        activities.addObject().put("id", "start").put("orchestrator", "noop").putArray("next");
    next.addObject().put("to", "maybe").put("when", "output.flag = true");
    next.add("final");
    activities
        .addObject()
        .put("id", "maybe")
        .put("orchestrator", "noop")
        .putArray("next")
        .add("final");
    llmStep(activities, "final", "Use {{steps.maybe.output.text}}");

    UUID instance = start(definition, Json.parse("{\"flag\":false}"));

    Eventually.await(
        PATIENCE, "instance failed", () -> testDb.instanceStatus(instance).equals("ERROR"));
    Task task =
        tasks(instance).stream()
            .filter(t -> t.activityId().equals("final"))
            .findFirst()
            .orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.lastError())
        .contains("{{steps.maybe.output.text}}", "'maybe' has no DONE task", "done so far: start");
    assertThat(tasks(instance)).noneMatch(t -> t.activityId().equals("maybe"));
    assertThat(llm.requests()).isEmpty();
  }

  private static void llmStep(ArrayNode activities, String id, String prompt) {
    activities
        .addObject()
        .put("id", id)
        .put("orchestrator", "llm-action")
        .put("maxAttempts", 1)
        .putObject("config")
        .put("agent", "writer")
        .put("prompt", prompt);
  }

  private Task awaitWaitingTask(UUID instance) {
    Eventually.await(
        PATIENCE,
        "a task waits for the reviewer",
        () -> tasks(instance).stream().anyMatch(t -> t.status() == TaskStatus.WAITING));
    return tasks(instance).stream()
        .filter(t -> t.status() == TaskStatus.WAITING)
        .findFirst()
        .orElseThrow();
  }

  private List<Task> tasks(UUID instance) {
    return testDb
        .database()
        .jdbi()
        .withHandle(h -> h.attach(TaskDao.class).taskListByInstance(instance));
  }

  private static String userMessage(ScriptedLlmServer.RecordedRequest request) {
    for (com.fasterxml.jackson.databind.JsonNode message : request.messages()) {
      if (message.path("role").asText().equals("user")) return message.path("content").asText();
    }
    throw new AssertionError("no user message in " + request.body());
  }
}
