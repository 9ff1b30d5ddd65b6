package dev.podflow.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.event.Event;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.ScriptedLlmServer;
import dev.podflow.testing.ScriptedLlmServer.ToolCall;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** llm-action against the real langchain4j OpenAI client and a scripted local endpoint. */
/** llm-action against the real langchain4j OpenAI client and a scripted local endpoint. */
class LlmActionTest extends LlmStepTestBase {
  @Test
  void aPodWithABadLlmSettingRefusesToStart(TestDatabase db) {
    AgentPod refused =
        new AgentPod(
            PodConfig.defaults("bad-llm").withSettings(Map.of("PODFLOW_LLM_PROVIDER", "anthropic")),
            db.database(),
            OrchestratorRegistry.discover(),
            metrics);
    assertThatThrownBy(refused::start)
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_LLM_PROVIDER", "got 'anthropic'");
    assertThat(refused.isReady()).as("nothing was started").isFalse();
  }

  /**
   * Two tenants each have a definition {@code letters} (different activities) and an agent {@code
   * writer} (different persona and model): each tenant's instance runs its own definition, and its
   * step speaks as its own tenant's agent.
   */
  @Test
  void eachTenantsInstanceRunsItsOwnDefinitionAndAgent(TestDatabase db) {
    startPod(db);
    DefinitionCatalog catalog =
        new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover());
    for (String tenant : List.of("acme", "globex")) {
      db.database()
          .jdbi()
          .useHandle(
              h ->
                  h.attach(AgentDao.class)
                      .agentUpsert(
                          tenant,
                          "writer",
                          "Writer of " + tenant,
                          "You write for " + tenant + ".",
                          "",
                          tenant + "-model",
                          Json.MAPPER.createArrayNode(),
                          "llm-action",
                          null,
                          null));
    }
    ObjectNode acme = Json.object().put("id", "letters");
    acme.putArray("activities")
        .add(Json.object().put("id", "intro").put("orchestrator", "noop"))
        .add(
            Json.object()
                .put("id", "draft")
                .put("orchestrator", "llm-action")
                .set("config", config("writer", "Draft for acme")));
    ObjectNode globex = Json.object().put("id", "letters");
    globex
        .putArray("activities")
        .add(
            Json.object()
                .put("id", "compose")
                .put("orchestrator", "llm-action")
                .set("config", config("writer", "Compose for globex")));
    catalog.publish("acme", "test", Definitions.withFastRetries(acme));
    catalog.publish("globex", "test", Definitions.withFastRetries(globex));
    catalog.publish("globex", "test", Definitions.withFastRetries(globex));
    llm.answerBy(request -> request.model() + " | " + request.prompt());

    Engine engine =
        new Engine(db.database().jdbi(), catalog, Notifier.inline(db.database().jdbi()));
    UUID atAcme =
        engine
            .starter()
            .start(new StartCommand("letters", Json.object(), null, null, "acme", null))
            .instance()
            .id();
    UUID atGlobex =
        engine
            .starter()
            .start(new StartCommand("letters", Json.object(), null, null, "globex", null))
            .instance()
            .id();

    assertThat(awaitFinished(atAcme)).isEqualTo("COMPLETED");
    assertThat(awaitFinished(atGlobex)).isEqualTo("COMPLETED");
    List<Task> acmeTasks =
        db.database().jdbi().withHandle(h -> h.attach(TaskDao.class).taskListByInstance(atAcme));
    assertThat(acmeTasks).extracting(Task::activityId).containsExactly("intro", "draft");
    String acmeText = acmeTasks.get(1).output().path("text").asText();
    assertThat(acmeText).startsWith("acme-model | ").contains("You write for acme.");
    assertThat(acmeText).contains("Draft for acme").doesNotContain("globex");
    assertThat(task(atGlobex).activityId()).isEqualTo("compose");
    String globexText = task(atGlobex).output().path("text").asText();
    assertThat(globexText).startsWith("globex-model | ").contains("You write for globex.");
    assertThat(globexText).contains("Compose for globex").doesNotContain("acme");
    assertThat(
            db.number("SELECT proc_def_version FROM bpm_proc_inst WHERE id = '" + atGlobex + "'"))
        .as("globex's own latest version")
        .isEqualTo(2);
  }

  @Test
  void aPlainAnswerBecomesTheOutputAndAnLlmCallEvent(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    llm.answer("Dear Ada, welcome aboard.", 120, 9);

    UUID instance =
        run(
            config("clerk", "Write a greeting for {{input.name}}."),
            Definitions.input("name", "Ada"),
            3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText())
        .isEqualTo("Dear Ada, welcome aboard.");
    List<Event> calls = events(instance, "llm_call");
    assertThat(calls).hasSize(1);
    JsonNode payload = calls.getFirst().payload();
    assertThat(payload.path("model").asText()).isEqualTo("test-model");
    assertThat(payload.path("promptTokens").asInt()).isEqualTo(120);
    assertThat(payload.path("completionTokens").asInt()).isEqualTo(9);
    assertThat(payload.has("latencyMs")).isTrue();
    assertThat(payload.has("offline")).isFalse();

    ScriptedLlmServer.RecordedRequest request = llm.requests().getFirst();
    assertThat(request.model()).isEqualTo("test-model");
    assertThat(request.messages().get(0).path("role").asText()).isEqualTo("system");
    assertThat(request.messages().get(0).path("content").asText())
        .contains("You are a careful clerk.", "Keep it short.");
    assertThat(request.prompt()).contains("Write a greeting for Ada.", "\"name\":\"Ada\"");
    assertThat(
            metrics
                .get("podflow_llm_tokens_total")
                .tags("model", "test-model", "kind", "prompt")
                .counter()
                .count())
        .isEqualTo(120);
    assertThat(
            metrics
                .get("podflow_llm_calls_total")
                .tags("model", "test-model", "outcome", "ok")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void rateLimitAndServerErrorsAreRetriedInsideOneAttempt(TestDatabase db) {
    startPod(db);
    agent("clerk", "agent-model");
    llm.error(429, "slow down").error(500, "upstream broke").answer("third time lucky");

    UUID instance = run(config("clerk", "Say something."), Json.object(), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).attempts()).as("one attempt").isEqualTo(1);
    assertThat(task(instance).output().path("text").asText()).isEqualTo("third time lucky");
    List<Event> calls = events(instance, "llm_call");
    assertThat(calls)
        .extracting(e -> e.payload().path("outcome").asText())
        .containsExactly("rate_limited", "server_error", "ok");
    assertThat(calls.getFirst().payload().path("status").asInt()).isEqualTo(429);
    assertThat(calls)
        .allSatisfy(e -> assertThat(e.payload().path("model").asText()).isEqualTo("agent-model"));
    assertThat(llm.requests()).hasSize(3);
  }

  @Test
  void malformedJsonIsRepairedOnce(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    llm.answer("Sure! The person is Ada, 36.")
        .answer("```json\n{\"name\":\"Ada\",\"age\":36}\n```");

    ObjectNode config = config("clerk", "Extract the person from: {{input.text}}");
    config.set("outputSchema", personSchema());
    UUID instance = run(config, Definitions.input("text", "Ada is 36"), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output()).isEqualTo(Json.parse("{\"name\":\"Ada\",\"age\":36}"));
    List<ScriptedLlmServer.RecordedRequest> requests = llm.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).prompt()).contains("JSON Schema", "\"required\":[\"name\",\"age\"]");
    assertThat(requests.get(1).prompt()).contains("does not match the JSON Schema", "not JSON");
  }

  @Test
  void invalidJsonTwiceFailsTheAttempt(TestDatabase db) {
    startPod(db);
    agent("clerk", null);
    llm.answer("{\"name\":\"Ada\"}").answer("{\"name\":\"Ada\",\"age\":-1}");

    ObjectNode config = config("clerk", "Extract the person.");
    config.set("outputSchema", personSchema());
    UUID instance = run(config, Json.object(), 1);

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    Task task = task(instance);
    assertThat(task.status()).isEqualTo(TaskStatus.DEAD);
    assertThat(task.lastError()).contains("outputSchema after one repair", "/age: ");
    assertThat(llm.requests()).hasSize(2);
    assertThat(llm.requests().get(1).prompt()).contains("required property 'age' not found");
  }

  @Test
  void aToolCallIsRunAndItsResultSentBack(TestDatabase db) {
    startPod(db);
    agent("clock", null, "current_time");
    llm.toolCalls(new ToolCall("current_time", "{\"zone\":\"UTC\"}")).answer("It is late.");

    UUID instance = run(config("clock", "What time is it?"), Json.object(), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("It is late.");
    List<ScriptedLlmServer.RecordedRequest> requests = llm.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).body().path("tools").get(0).path("function").path("name").asText())
        .isEqualTo("current_time");
    JsonNode last = requests.get(1).messages().get(requests.get(1).messages().size() - 1);
    assertThat(last.path("role").asText()).isEqualTo("tool");
    assertThat(last.path("content").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(events(instance, "tool_call")).hasSize(1);
    assertThat(events(instance, "llm_call")).hasSize(2);
  }

  @Test
  void askHumanParksTheTaskAndTheAnswerCarriesTheConversationOn(TestDatabase db) {
    startPod(db);
    agent("asker", null, "ask_human");
    llm.toolCalls(new ToolCall("ask_human", "{\"question\":\"Which colour?\"}"));
    llm.answer("Blue it is.");

    ObjectNode config = config("asker", "Pick a colour.").put("assignee", "ada");
    UUID instance = run(config, Definitions.input("n", 1), 3);

    Eventually.await(
        PATIENCE,
        "the task waits for ada",
        () -> testDb.instanceStatus(instance).equals("WAITING"));
    Task waiting = task(instance);
    assertThat(waiting.waitingFor()).isEqualTo(WaitingFor.ANSWER);
    assertThat(waiting.assignee()).isEqualTo("ada");
    assertThat(waiting.form().path("description").asText()).isEqualTo("Which colour?");
    assertThat(events(instance, "tool_call").getFirst().payload().path("question").asText())
        .isEqualTo("Which colour?");
    assertThat(llm.requests()).hasSize(1);
    assertThat(llm.requests().getFirst().body().path("tools").toString()).contains("ask_human");

    DefinitionCatalog catalog =
        new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover());
    new Engine(db.database().jdbi(), catalog, Notifier.inline(db.database().jdbi()))
        .suspensions()
        .answer(waiting.id(), Json.object().put("answer", "blue"), "test");

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    assertThat(task(instance).output().path("text").asText()).isEqualTo("Blue it is.");
    assertThat(llm.requests()).hasSize(2);
    JsonNode resumed = llm.requests().get(1).messages();
    JsonNode last = resumed.get(resumed.size() - 1);
    assertThat(last.path("role").asText()).isEqualTo("tool");
    assertThat(last.path("content").asText()).isEqualTo("blue");
    JsonNode asked = resumed.get(resumed.size() - 2);
    assertThat(asked.path("tool_calls").get(0).path("id").asText())
        .as("the answer is the result of the model's own call")
        .isEqualTo(last.path("tool_call_id").asText());
    assertThat(resumed.get(0).path("content").asText()).contains("You are a careful clerk.");
  }

  @Test
  void askHumanWithNoOneToAskTellsTheModelSo(TestDatabase db) {
    startPod(db);
    agent("asker", null, "ask_human");
    llm.toolCalls(new ToolCall("ask_human", "{\"question\":\"Which colour?\"}"));
    llm.answer("Red, then.");

    UUID instance = run(config("asker", "Pick a colour."), Definitions.input("n", 1), 3);

    assertThat(awaitFinished(instance)).isEqualTo("COMPLETED");
    JsonNode messages = llm.requests().get(1).messages();
    assertThat(messages.get(messages.size() - 1).path("content").asText())
        .startsWith("error: there is no one to ask");
  }

  @Test
  void anUnknownAgentFailsPermanently(TestDatabase db) {
    startPod(db);
    UUID instance = run(config("ghost", "Hello"), Json.object(), 3);

    assertThat(awaitFinished(instance)).isEqualTo("ERROR");
    assertThat(task(instance).attempts()).isEqualTo(1);
    assertThat(task(instance).lastError()).contains("unknown agent 'ghost'");
    assertThat(llm.requests()).isEmpty();
  }

  @Test
  void theOfflineModelAnswersDeterministicallyAndSaysSo(TestDatabase db) {
    startPod(db, Map.of()); // no PODFLOW_LLM_*: the offline model
    agent("clerk", "gpt-4o");

    UUID plain =
        run(config("clerk", "Summarise {{input.topic}}."), Definitions.input("topic", "tides"), 1);
    assertThat(awaitFinished(plain)).isEqualTo("COMPLETED");
    assertThat(task(plain).output().path("text").asText())
        .startsWith("[offline model] Summarise tides.");
    JsonNode call = events(plain, "llm_call").getFirst().payload();
    assertThat(call.path("model").asText()).isEqualTo("offline");
    assertThat(call.path("offline").asBoolean()).isTrue();
    assertThat(call.path("promptTokens").asInt()).isPositive();

    ObjectNode config = config("clerk", "Extract the person.");
    config.set("outputSchema", personSchema());
    UUID structured = run(config, Json.object(), 1);
    assertThat(awaitFinished(structured)).isEqualTo("COMPLETED");
    assertThat(task(structured).output().path("age").asInt()).isZero();
    assertThat(task(structured).output().path("name").asText()).contains("offline");
    assertThat(llm.requests()).as("no network").isEmpty();
  }
}
