package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.definition.UploadCheck;
import dev.podflow.engine.orchestrator.AwaitChildren;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.task.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code deep-research}: a crew in the spirit of crewai-deep-research that fans out across pods.
 * Config: {@code {"prompt": "<template of the research goal>", "maxQuestions": 1..12 (default 4),
 * "agents": {"planner"|"researcher"|"analyst"|"critic"|"writer": "<agent id>"}}} (a role without an
 * agent uses a built-in persona and the pod's model).
 *
 * <ol>
 *   <li><b>Plan</b> (the task's first run): the planner splits the goal into sub-questions, which
 *       become child tasks ({@link AwaitChildren}) that any pod may claim.
 *   <li><b>Research</b> (each child task): the researcher answers its sub-question, the analyst
 *       draws the insights from the findings.
 *   <li><b>Write</b> (the task again, once every child is done): the critic reviews all findings,
 *       the writer synthesizes the report.
 * </ol>
 *
 * Output: {@code {"report", "goal", "questions": [...], "findings": [{"question", "findings",
 * "analysis"}], "critique"}}. Every model call is an {@code llm_call} event of the task that made
 * it. Thread-safe once started.
 */
public final class DeepResearchOrchestrator implements Orchestrator {
  public static final String NAME = "deep-research";

  /** Sub-questions the planner asks for when the config names no {@code maxQuestions}. */
  static final int DEFAULT_QUESTIONS = 4;

  /** The most sub-questions {@code maxQuestions} may ask for. */
  static final int MAX_QUESTIONS = 12;

  /** The crew; each role speaks with its agent's persona, or with this default one. */
  enum Role {
    PLANNER(
        "You are the research planner of a research crew. You split a research goal into"
            + " distinct, concrete sub-questions that can be researched independently and together"
            + " cover the goal."),
    RESEARCHER(
        "You are a meticulous researcher. You answer one sub-question with specific facts,"
            + " figures and sources where you know them, and say plainly what you do not know."),
    ANALYST(
        "You are an analyst. You turn a researcher's findings into the key insights,"
            + " implications and open risks for the research goal, in a few bullet points."),
    CRITIC(
        "You are a critical reviewer. You point out gaps, contradictions, weak evidence and"
            + " unanswered parts of the research, briefly and concretely."),
    WRITER(
        "You are a report writer. You synthesize the research into a clear, well-structured"
            + " report that answers the goal and addresses the reviewer's points.");

    final String defaultPersona;

    Role(String defaultPersona) {
      this.defaultPersona = defaultPersona;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The roles {@code config.agents} may assign. */
  private static final SortedSet<String> ROLES =
      new TreeSet<>(Arrays.stream(Role.values()).map(Role::key).toList());

  // Set by start, before the pod's slots (which call run) start.
  private Jdbi jdbi;
  private LlmClient llm;

  /** The endpoint comes from the pod's {@code PODFLOW_LLM_*} settings ({@link LlmConfig}). */
  @Override
  public void start(PodServices pod) {
    this.jdbi = pod.jdbi();
    this.llm = LlmClient.forPod(pod, NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@code prompt} (a {@link PromptTemplate}) is required; {@code maxQuestions} 1 to {@value
   * #MAX_QUESTIONS}; {@code agents} an agent id per role.
   */
  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("prompt", "maxQuestions", "agents"));
    PromptTemplate.check(check, "prompt", "the prompt template");
    check.optionalInt("maxQuestions", 1, MAX_QUESTIONS);
    JsonNode agents = check.config().get("agents");
    if (agents == null || agents.isNull()) return;
    if (!agents.isObject()) {
      check.violation("/agents", "must be an object naming an agent id per role; roles: " + ROLES);
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = agents.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> role = it.next();
      String pointer = "/agents/" + ConfigCheck.pointerToken(role.getKey());
      if (!ROLES.contains(role.getKey())) {
        check.violation(pointer, "is not a deep-research role; roles: " + ROLES);
      } else {
        AgentRefs.checkId(check, pointer, role.getValue());
      }
    }
  }

  /** Every agent the roles name must exist. */
  @Override
  public void checkUpload(UploadCheck check) {
    for (Iterator<Map.Entry<String, JsonNode>> it = check.config().path("agents").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> role = it.next();
      check.knownAgent("/agents/" + ConfigCheck.pointerToken(role.getKey()), role.getValue());
    }
  }

  @Override
  public JsonNode run(TaskContext task) throws Exception {
    if (task.isChild()) return research(task);
    if (task.children().isEmpty()) throw plan(task);
    return write(task);
  }

  private AwaitChildren plan(TaskContext task) throws InterruptedException {
    String goal = goal(task);
    int max = task.config().path("maxQuestions").asInt(DEFAULT_QUESTIONS);
    // Ask for at least a few questions, so that even the offline model's answer fans out.
    int min = Math.min(3, max);
    ObjectNode schema = Json.object().put("type", "object");
    schema.putArray("required").add("questions");
    schema
        .putObject("properties")
        .putObject("questions")
        .put("type", "array")
        .put("minItems", min)
        .put("maxItems", max)
        .putObject("items")
        .put("type", "string")
        .put("minLength", 1);
    String answer =
        ask(
            task,
            Role.PLANNER,
            "Research goal:\n"
                + goal
                + "\n\nSplit it into "
                + min
                + " to "
                + max
                + " sub-questions.\n\n"
                + PromptBuilder.SCHEMA_MARKER
                + "\n```json\n"
                + Json.write(schema)
                + "\n```");
    OutputSchema.Result result = OutputSchema.compile(schema).check(answer);
    if (!result.valid()) {
      throw TaskFailedException.retryable(
          "the planner's answer is not a list of "
              + min
              + " to "
              + max
              + " sub-questions: "
              + String.join("; ", result.errors()));
    }
    List<JsonNode> children = new ArrayList<>();
    ArrayNode questions = (ArrayNode) result.value().get("questions");
    for (JsonNode question : questions) {
      children.add(Json.object().put("goal", goal).put("question", question.asText()));
    }
    ObjectNode state = Json.object().put("goal", goal);
    state.set("questions", questions);
    return new AwaitChildren(children, state);
  }

  private JsonNode research(TaskContext task) throws InterruptedException {
    String goal = task.input().path("goal").asText();
    String question = task.input().path("question").asText();
    String findings =
        ask(
            task,
            Role.RESEARCHER,
            "Research goal: " + goal + "\n\nYour sub-question: " + question + "\n\nYour findings:");
    String analysis =
        ask(
            task,
            Role.ANALYST,
            "Research goal: "
                + goal
                + "\n\nSub-question: "
                + question
                + "\n\nThe researcher's findings:\n"
                + findings
                + "\n\nYour analysis:");
    return Json.object()
        .put("question", question)
        .put("findings", findings)
        .put("analysis", analysis);
  }

  private JsonNode write(TaskContext task) throws InterruptedException {
    JsonNode state = task.savedState().orElseThrow();
    String goal = state.path("goal").asText();
    ArrayNode findings = Json.MAPPER.createArrayNode();
    StringBuilder digest = new StringBuilder();
    for (Task child : task.children()) {
      findings.add(child.output());
      digest
          .append("### ")
          .append(child.output().path("question").asText())
          .append("\nFindings: ")
          .append(child.output().path("findings").asText())
          .append("\nAnalysis: ")
          .append(child.output().path("analysis").asText())
          .append("\n\n");
    }
    String research = "Research goal: " + goal + "\n\n## Research\n" + digest;
    String critique = ask(task, Role.CRITIC, research + "Your review:");
    String report =
        ask(task, Role.WRITER, research + "## Reviewer's points\n" + critique + "\n\nThe report:");
    ObjectNode output = Json.object().put("report", report).put("goal", goal);
    output.set("questions", state.path("questions"));
    output.set("findings", findings);
    output.put("critique", critique);
    return output;
  }

  /** One model call in the voice of {@code role}; returns the answer's text. */
  private String ask(TaskContext task, Role role, String prompt) throws InterruptedException {
    Agent agent = agentFor(task, role);
    List<ChatMessage> messages = new ArrayList<>();
    String persona =
        agent == null
            ? role.defaultPersona
            : (agent.persona().strip() + "\n\n" + agent.instructions().strip()).strip();
    messages.add(SystemMessage.from(persona.isEmpty() ? role.defaultPersona : persona));
    messages.add(UserMessage.from(prompt));
    String model = llm.modelFor(agent == null ? null : agent.model());
    String text =
        llm.chat(task, model, ChatRequest.builder().messages(messages).build()).aiMessage().text();
    return text == null ? "" : text;
  }

  private Agent agentFor(TaskContext task, Role role) {
    JsonNode id = task.config().path("agents").path(role.key());
    if (!id.isTextual()) return null;
    return jdbi.withHandle(h -> h.attach(AgentDao.class).agentGet(task.tenantId(), id.asText()))
        .orElseThrow(
            () ->
                TaskFailedException.permanent(
                    "deep-research role '"
                        + role.key()
                        + "' names unknown agent '"
                        + id.asText()
                        + "'; create it with POST /api/v1/agents"));
  }

  /** The research goal: config {@code prompt} rendered (the upload checked the config). */
  private String goal(TaskContext task) {
    InstanceHistory history = InstanceHistory.load(jdbi, task.claimed().instance().id());
    return PromptTemplate.render(
        task.config().get("prompt").asText(),
        task.input(),
        task.claimed().instance().input(),
        history.latestOutputs());
  }
}
