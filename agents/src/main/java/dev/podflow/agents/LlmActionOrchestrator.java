package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.definition.UploadCheck;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.mcp.step.McpCalls;
import dev.podflow.memory.PodMemory;
import dev.podflow.memory.RecallProfile;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.memory.RecalledChunk;
import dev.podflow.store.memory.RecalledMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * pod does not have fail permanently.
 *
 * <p>The tools are the profile's ({@link AgentToolbox}); a tool marked {@code "approval": "always"}
 * waits for a person first ({@link ToolApproval}). The run is durable ({@link AgentConversation}):
 * the conversation is checkpointed after every model answer and tool result, and the next attempt
 * after a crash resumes it without repeating what was recorded. Thread-safe once started.
 */
public final class LlmActionOrchestrator implements Orchestrator {
  public static final String NAME = "llm-action";

  /** The event type of one tool call the model asked for. */
  public static final String TOOL_CALL = "tool_call";

  private static final Logger LOG = LoggerFactory.getLogger(LlmActionOrchestrator.class);

  /** Model calls a run may make when the config names no {@code maxSteps}. */
  static final int DEFAULT_MAX_STEPS = 8;

  /** The most model calls {@code maxSteps} may allow. */
  static final int MAX_STEPS = 50;

  /** The event type of a run that carries on from an earlier attempt's checkpoint. */
  public static final String AGENT_RESUMED = "agent_resumed";

  /** The event type of what a run recalled from its agent's memory (ids and scores). */
  public static final String MEMORY_RECALL = "memory_recall";

  /** The event type of a tool call that waits for a person's approval. */
  public static final String APPROVAL_REQUESTED = "approval_requested";

  // Set by start, before the pod's slots (which call run) start.
  private Jdbi jdbi;
  private LlmClient llm;
  private BuiltinTools builtins;
  private McpCalls mcpCalls;
  private McpAgentTools mcp;
  private PodMemory memory;

  /** The endpoint comes from the pod's {@code PODFLOW_LLM_*} settings ({@link LlmConfig}). */
  @Override
  public void start(PodServices pod) {
    this.jdbi = pod.jdbi();
    this.llm = LlmClient.forPod(pod, NAME);
    this.builtins = new BuiltinTools(pod.clock());
    this.mcpCalls = McpCalls.forPod(pod);
    this.mcp = new McpAgentTools(mcpCalls);
    this.memory = PodMemory.forPod(pod);
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
    PromptTemplate.check(check, "prompt", "the prompt template");
    check.optionalJsonSchema("outputSchema");
    check.optionalInt("maxSteps", 1, MAX_STEPS);
  }

  /** The agent must exist. */
  @Override
  public void checkUpload(UploadCheck check) {
    check.knownAgent("/agent", check.config().get("agent"));
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
    AgentToolbox tools = AgentToolbox.of(task, agent, builtins, mcp);
    String model = llm.modelFor(agent.model());
    Optional<AgentConversation> resumed =
        AgentConversation.resume(task, llm, model, tools, maxSteps);
    AgentConversation conversation;
    if (resumed.isPresent()) {
      conversation = resumed.get();
    } else {
      JsonNode processInput = task.claimed().instance().input();
      InstanceHistory history = InstanceHistory.load(jdbi, task.claimed().instance().id());
      String prompt =
          PromptTemplate.render(template, task.input(), processInput, history.latestOutputs());
      PodMemory.Recall recalled = recall(task, agent, prompt);
      List<ChatMessage> messages =
          PromptBuilder.messages(
              agent, prompt, processInput, task.input(), history, schemaNode, recalled);
      conversation = AgentConversation.start(task, llm, model, tools, maxSteps, messages);
    }
    String answer = conversation.answer();
    if (schema == null) return Json.object().put("text", answer);

    OutputSchema.Result result = schema.check(answer);
    if (result.valid()) return result.value();
    if (!conversation.repairAsked()) {
      conversation.askRepair(result.errors());
      result = schema.check(conversation.answer());
      if (result.valid()) return result.value();
    }
    throw TaskFailedException.retryable(
        "agent '"
            + agentId
            + "' answered output that fails the activity's outputSchema after one repair try: "
            + String.join("; ", result.errors()));
  }

  /**
   * What the agent learned that bears on {@code prompt}: its own memories and those of the user who
   * started the process, for every definition and this one, and passages of the tenant's documents,
   * as the agent's recall profile allows (checked when the profile was stored); a {@value
   * #MEMORY_RECALL} event lists them when there are any.
   */
  private PodMemory.Recall recall(TaskContext task, Agent agent, String prompt) {
    var instance = task.claimed().instance();
    List<RecallProfile.FieldError> refused = new ArrayList<>();
    RecallProfile profile = RecallProfile.parse(agent.memory(), refused);
    if (!refused.isEmpty()) {
      // Only a row written around the API could hold one; recall as the pod's settings say.
      LOG.warn("[llm-action] agent {} has an invalid memory profile: {}", agent.id(), refused);
    }
    PodMemory.Recall recalled =
        memory.recall(
            task.tenantId(),
            agent.id(),
            instance.initiator(),
            instance.procDefId(),
            prompt,
            profile);
    if (!recalled.isEmpty()) {
      ObjectNode payload = Json.object().put("agent", agent.id());
      payload.put("backend", memory.store().backend().name());
      ArrayNode memories = payload.putArray("memories");
      for (RecalledMemory m : recalled.memories()) {
        memories.addObject().put("id", m.id()).put("source", m.source()).put("score", m.score());
      }
      ArrayNode chunks = payload.putArray("chunks");
      for (RecalledChunk c : recalled.chunks()) {
        chunks
            .addObject()
            .put("id", c.id())
            .put("documentId", c.documentId())
            .put("score", c.score());
      }
      task.recordEvent(MEMORY_RECALL, payload);
    }
    return recalled;
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
}
