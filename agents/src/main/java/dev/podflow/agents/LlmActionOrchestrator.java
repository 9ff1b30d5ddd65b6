package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.UploadCheck;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code llm-action}: one agent does one step with an LLM. Config: {@code {"agent": "<id>",
 * "prompt": "<template>", "outputSchema": {JSON Schema, optional}, "maxSteps": 1..50 (default 8)}}.
 * The prompt is the agent's persona and instructions (system), the rendered {@link PromptTemplate}
 * and the dynamic context (process input, this step's input, earlier steps' outputs). The model may
 * call the agent's tools; each model call counts as a step, and a run that needs more than {@code
 * maxSteps} fails the attempt.
 *
 * <p>Output: without {@code outputSchema}, {@code {"text": "<answer>"}}; with it, the answer parsed
 * as JSON and validated. An invalid answer gets one repair turn (the errors are sent back); a
 * second invalid answer fails the attempt (retryable). An unknown agent, a bad config or a tool the
 * pod does not have fail permanently. Thread-safe once started.
 */
public final class LlmActionOrchestrator implements Orchestrator {
  public static final String NAME = "llm-action";

  /** The event type of one tool call the model asked for. */
  public static final String TOOL_CALL = "tool_call";

  /** Model calls a run may make when the config names no {@code maxSteps}. */
  static final int DEFAULT_MAX_STEPS = 8;

  /** The most model calls {@code maxSteps} may allow. */
  static final int MAX_STEPS = 50;

  private static final int EVENT_TEXT_CHARS = 1000;

  // Set by start, before the pod's slots (which call run) start.
  private Jdbi jdbi;
  private LlmClient llm;
  private BuiltinTools tools;

  /** The endpoint comes from the pod's {@code PODFLOW_LLM_*} settings ({@link LlmConfig}). */
  @Override
  public void start(PodServices pod) {
    this.jdbi = pod.jdbi();
    this.llm = LlmClient.forPod(pod, NAME);
    this.tools = new BuiltinTools(pod.clock());
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@code agent} (an agent id) and {@code prompt} (a {@link PromptTemplate}) are required; {@code
   * outputSchema} must be a JSON Schema, {@code maxSteps} 1 to {@value #MAX_STEPS}, {@code
   * assignee} (whom {@code ask_human} asks) a user id.
   */
  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("agent", "prompt", "outputSchema", "maxSteps", "assignee"));
    check.optionalUserId("assignee");
    if (check.required("agent", "the id of an agent profile (POST /api/v1/agents)")) {
      AgentRefs.checkId(check, "/agent", check.config().get("agent"));
    }
    PromptTemplate.check(check, "prompt");
    check.optionalJsonSchema("outputSchema");
    check.optionalInt("maxSteps", 1, MAX_STEPS);
  }

  /** The agent must exist. */
  @Override
  public void checkUpload(UploadCheck check) {
    AgentRefs.checkExists(check, "/agent", check.config().get("agent"));
  }

  @Override
  public JsonNode run(TaskContext task) throws InterruptedException, AskPerson {
    JsonNode config = task.config();
    String agentId = requiredText(config, "agent");
    String template = requiredText(config, "prompt");
    int maxSteps = maxSteps(config);
    JsonNode schemaNode = config.get("outputSchema");
    OutputSchema schema =
        schemaNode == null || schemaNode.isNull() ? null : OutputSchema.compile(schemaNode);

    // The agent of the instance's tenant: another tenant's profile with that id is not this one.
    Agent agent =
        jdbi.withHandle(h -> h.attach(AgentDao.class).agentGet(task.tenantId(), agentId))
            .orElseThrow(
                () ->
                    TaskFailedException.permanent(
                        "unknown agent '"
                            + agentId
                            + "' in activity '"
                            + task.claimed().activity().id()
                            + "'; create it with POST /api/v1/agents"));
    Map<String, BuiltinTools.Tool> agentTools = toolsOf(agent);
    boolean mayAskHuman = AskHumanTool.isNamedIn(agent.tools());
    String model = llm.modelFor(agent.model());
    Conversation conversation;
    if (task.answer().isPresent()) {
      AskHumanTool.Resumed resumed = AskHumanTool.resume(task);
      conversation =
          new Conversation(
              task, model, resumed.messages(), agentTools, mayAskHuman, maxSteps, resumed.steps());
    } else {
      JsonNode processInput = task.claimed().instance().input();
      InstanceHistory history = InstanceHistory.load(jdbi, task.claimed().instance().id());
      String prompt =
          PromptTemplate.render(template, task.input(), processInput, history.latestOutputs());
      List<ChatMessage> messages =
          PromptBuilder.messages(agent, prompt, processInput, task.input(), history, schemaNode);
      conversation = new Conversation(task, model, messages, agentTools, mayAskHuman, maxSteps, 0);
    }
    List<ChatMessage> messages = conversation.messages;
    String answer = conversation.answer();
    if (schema == null) return Json.object().put("text", answer);

    OutputSchema.Result result = schema.check(answer);
    if (result.valid()) return result.value();
    messages.add(
        UserMessage.from(
            "Your answer does not match the JSON Schema:\n- "
                + String.join("\n- ", result.errors())
                + "\nAnswer again with only the corrected JSON object."));
    String repaired = conversation.answer();
    OutputSchema.Result second = schema.check(repaired);
    if (second.valid()) return second.value();
    throw TaskFailedException.retryable(
        "agent '"
            + agentId
            + "' answered output that fails the activity's outputSchema after one repair try: "
            + String.join("; ", second.errors()));
  }

  /**
   * The model turns of one run, sharing the step budget across the repair turn and across a
   * question to a person ({@code steps} carries over when the task runs again with the answer).
   */
  final class Conversation {
    private final TaskContext task;
    private final String model;
    final List<ChatMessage> messages;
    private final Map<String, BuiltinTools.Tool> agentTools;
    private final List<ToolSpecification> specs;
    private final int maxSteps;
    private int steps;

    Conversation(
        TaskContext task,
        String model,
        List<ChatMessage> messages,
        Map<String, BuiltinTools.Tool> agentTools,
        boolean mayAskHuman,
        int maxSteps,
        int steps) {
      this.task = task;
      this.model = model;
      this.messages = messages;
      this.agentTools = agentTools;
      List<ToolSpecification> specs =
          new ArrayList<>(agentTools.values().stream().map(BuiltinTools.Tool::spec).toList());
      if (mayAskHuman) specs.add(AskHumanTool.SPEC);
      this.specs = List.copyOf(specs);
      this.maxSteps = maxSteps;
      this.steps = steps;
    }

    /**
     * Talks until the model answers without asking for tools; adds every turn to messages.
     *
     * @throws AskPerson when the model called {@code ask_human}: the task waits for the answer
     */
    String answer() throws InterruptedException, AskPerson {
      while (steps < maxSteps) {
        steps++;
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (!specs.isEmpty()) request.toolSpecifications(specs);
        AiMessage reply = llm.chat(task, model, request.build()).aiMessage();
        messages.add(reply);
        if (!reply.hasToolExecutionRequests()) return reply.text() == null ? "" : reply.text();
        ToolExecutionRequest question = null;
        for (ToolExecutionRequest call : reply.toolExecutionRequests()) {
          if (call.name().equals(AskHumanTool.NAME) && specs.contains(AskHumanTool.SPEC)) {
            question = call; // asked last, once every other call of the turn has its result
            continue;
          }
          BuiltinTools.Tool tool = agentTools.get(call.name());
          String result =
              tool == null
                  ? "error: no tool named '"
                      + call.name()
                      + "'; available: "
                      + String.join(", ", specs.stream().map(ToolSpecification::name).toList())
                  : tools.run(tool, call.arguments());
          recordToolCall(call, result, tool != null);
          messages.add(ToolExecutionResultMessage.from(call, result));
        }
        if (question != null) {
          Optional<String> assignee = AskHumanTool.assignee(task);
          if (assignee.isPresent()) {
            throw AskHumanTool.ask(task, assignee.get(), question, messages, steps);
          }
          String error =
              "error: there is no one to ask; the activity names no assignee and the process"
                  + " no initiator. Carry on without asking.";
          recordToolCall(question, error, true);
          messages.add(ToolExecutionResultMessage.from(question, error));
        }
      }
      throw TaskFailedException.retryable(
          "the model did not finish within maxSteps = "
              + maxSteps
              + " model calls (it kept asking for tools)");
    }

    void recordToolCall(ToolExecutionRequest call, String result, boolean known) {
      task.recordEvent(
          TOOL_CALL,
          Json.object()
              .put("tool", call.name())
              .put("arguments", abbreviate(call.arguments()))
              .put("result", abbreviate(result))
              .put("known", known));
    }
  }

  private Map<String, BuiltinTools.Tool> toolsOf(Agent agent) {
    Map<String, BuiltinTools.Tool> byName = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (JsonNode name : agent.tools()) {
      if (name.asText().equals(AskHumanTool.NAME)) continue;
      BuiltinTools.Tool tool = tools.get(name.asText());
      if (tool == null) unknown.add(name.asText());
      else byName.put(name.asText(), tool);
    }
    if (!unknown.isEmpty()) {
      throw TaskFailedException.permanent(
          "agent '"
              + agent.id()
              + "' names tools this pod does not have: "
              + unknown
              + "; available: "
              + tools.names()
              + ", "
              + AskHumanTool.NAME);
    }
    return byName;
  }

  private static String requiredText(JsonNode config, String field) {
    JsonNode value = config.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw TaskFailedException.permanent(
          "llm-action needs config '" + field + "' (a non-empty string), got config " + config);
    }
    return value.asText();
  }

  private static int maxSteps(JsonNode config) {
    JsonNode value = config.get("maxSteps");
    if (value == null || value.isNull()) return DEFAULT_MAX_STEPS;
    if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_STEPS) {
      throw TaskFailedException.permanent(
          "llm-action config 'maxSteps' must be a whole number from 1 to "
              + MAX_STEPS
              + ", got "
              + value);
    }
    return value.asInt();
  }

  private static String abbreviate(String text) {
    if (text == null) return "";
    return text.length() <= EVENT_TEXT_CHARS ? text : text.substring(0, EVENT_TEXT_CHARS) + "…";
  }
}
