package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.event.Event;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deep-research on four pods against the real langchain4j client and a local OpenAI-compatible
 * server that answers by role: the planner's sub-questions become child tasks that several pods
 * work, and the report is written once all of them are done.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DeepResearchTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Answers as the role the system message names; researchers take a while, like real ones. */
  private static String answerAs(ScriptedLlmServer.RecordedRequest request) {
    String prompt = request.prompt();
    if (prompt.contains("research planner")) {
      return "{\"questions\":[\"What is A?\",\"What is B?\",\"What is C?\",\"What is D?\"]}";
    }
    if (prompt.contains("meticulous researcher")) {
      sleep(300);
      String question = prompt.substring(prompt.indexOf("Your sub-question: ") + 19);
      return "findings on " + question.substring(0, question.indexOf('?') + 1);
    }
    if (prompt.contains("You are an analyst")) return "insight";
    if (prompt.contains("critical reviewer")) return "critique: D is thin";
    if (prompt.contains("report writer")) return "REPORT covering A, B, C and D";
    return "unexpected prompt";
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void subQuestionsFanOutToChildTasksOnSeveralPodsAndTheWriterJoinsThem(TestDatabase testDb) {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<AgentPod> pods = new ArrayList<>();
    List<Database> pools = new ArrayList<>();
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.answerBy(DeepResearchTest::answerAs);
      for (int i = 1; i <= 4; i++) {
        Database pool = Database.connect(testDb.config().withPool(3, "research-pod-" + i));
        pools.add(pool);
        pods.add(
            new AgentPod(
                    PodConfig.defaults("rp" + i)
                        .withPollInterval(Duration.ofMillis(200))
                        .withSettings(llm.podSettings(2)),
                    pool,
                    OrchestratorRegistry.discover(),
                    metrics)
                .start());
      }
      DefinitionCatalog catalog =
          new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover());
      catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"research","activities":[
                {"id":"study","orchestrator":"deep-research",
                 "config":{"prompt":"How do {{input.topic}} work?","maxQuestions":4}},
                {"id":"after","orchestrator":"noop"}]}"""));
      UUID id =
          new Engine(testDb.database().jdbi(), catalog, Notifier.inline(testDb.database().jdbi()))
              .starter()
              .start(
                  new StartCommand(
                      "research",
                      Json.object().put("topic", "queues"),
                      null,
                      null,
                      StartCommand.DEFAULT_TENANT,
                      null))
              .instance()
              .id();

      Eventually.await(
          PATIENCE, "the research completes", () -> testDb.instanceStatus(id).equals("COMPLETED"));

      List<Task> tasks =
          testDb.database().jdbi().withHandle(h -> h.attach(TaskDao.class).taskListByInstance(id));
      Task study = tasks.getFirst();
      List<Task> children = tasks.stream().filter(t -> t.parentTaskId() != null).toList();
      assertThat(children).hasSize(4);
      assertThat(children)
          .extracting(t -> t.input().get("question").asText())
          .containsExactly("What is A?", "What is B?", "What is C?", "What is D?");
      assertThat(children)
          .extracting(t -> t.input().get("goal").asText())
          .containsOnly("How do queues work?");
      Set<String> childPods = children.stream().map(Task::claimedBy).collect(Collectors.toSet());
      assertThat(childPods)
          .as("the sub-questions were worked by several pods")
          .hasSizeGreaterThan(1);

      JsonNode output = study.output();
      assertThat(output.get("report").asText()).isEqualTo("REPORT covering A, B, C and D");
      assertThat(output.get("critique").asText()).isEqualTo("critique: D is thin");
      assertThat(output.get("findings")).hasSize(4);
      assertThat(output.get("findings").get(3).get("findings").asText())
          .isEqualTo("findings on What is D?");
      assertThat(output.get("findings").get(0).get("analysis").asText()).isEqualTo("insight");
      assertThat(tasks.getLast().activityId()).isEqualTo("after");

      List<Event> calls = new EventLog(testDb).of(id, LlmClient.LLM_CALL);
      Map<Long, Long> callsByTask =
          calls.stream().collect(Collectors.groupingBy(Event::taskId, Collectors.counting()));
      assertThat(callsByTask.get(study.id()))
          .as("planner, critic and writer calls belong to the research task")
          .isEqualTo(3);
      assertThat(children)
          .allSatisfy(c -> assertThat(callsByTask.get(c.id())).isEqualTo(2)); // researcher, analyst
      assertThat(calls)
          .allSatisfy(
              e -> {
                assertThat(e.payload().get("model").asText()).isEqualTo("test-model");
                assertThat(e.payload().get("promptTokens").asInt())
                    .isEqualTo(ScriptedLlmServer.DEFAULT_PROMPT_TOKENS);
                assertThat(e.payload().get("completionTokens").asInt())
                    .isEqualTo(ScriptedLlmServer.DEFAULT_COMPLETION_TOKENS);
                assertThat(e.payload().has("latencyMs")).isTrue();
              });
    } finally {
      pods.forEach(AgentPod::stop);
      pools.forEach(Database::close);
    }
  }

  @Test
  void theOfflineModelFansOutTooAndSaysItIsOffline(TestDatabase testDb) {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    AgentPod pod = // no PODFLOW_LLM_* settings: the offline model
        new AgentPod(
                PodConfig.defaults("offline").withPollInterval(Duration.ofMillis(200)),
                testDb.database(),
                OrchestratorRegistry.discover(),
                metrics)
            .start();
    try {
      DefinitionCatalog catalog =
          new DefinitionCatalog(testDb.database().jdbi(), OrchestratorRegistry.discover());
      catalog.publish(
          StartCommand.DEFAULT_TENANT,
          "test",
          Json.parse(
              """
              {"id":"offline-research","activities":[
                {"id":"study","orchestrator":"deep-research","config":{"prompt":"Why?"}}]}"""));
      UUID id =
          new Engine(testDb.database().jdbi(), catalog, Notifier.inline(testDb.database().jdbi()))
              .starter()
              .start(
                  new StartCommand(
                      "offline-research",
                      Json.object(),
                      null,
                      null,
                      StartCommand.DEFAULT_TENANT,
                      null))
              .instance()
              .id();
      Eventually.await(
          PATIENCE,
          "the offline research completes",
          () -> testDb.instanceStatus(id).equals("COMPLETED"));
      assertThat(
              testDb.number(
                  "SELECT count(*) FROM todolist WHERE parent_task_id IS NOT NULL"
                      + " AND proc_inst_id = '"
                      + id
                      + "'"))
          .isEqualTo(3);
      assertThat(
              testDb.text(
                  "SELECT output->>'report' FROM todolist WHERE activity_id = 'study'"
                      + " AND parent_task_id IS NULL AND proc_inst_id = '"
                      + id
                      + "'"))
          .startsWith(OfflineChatModel.PREFIX);
      assertThat(
              new EventLog(testDb)
                  .payloads(id, "llm_call").stream()
                      .filter(p -> !p.path("model").asText().equals("offline"))
                      .count())
          .isZero();
    } finally {
      pod.stop();
    }
  }
}
