package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequest.Builder;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model turns of one {@code llm-action} task, durable: after every model answer and every tool
 * result the conversation is saved as the task's progress checkpoint ({@link
 * TaskContext#saveProgress}, fenced by the claim), and an attempt that follows a crash carries on
 * from there. A model answer already saved is not asked for again and a tool call whose result is
 * saved is not made again; only a call in flight when the pod died may run twice.
 *
 * <p>The step budget ({@code maxSteps} model calls) is shared by the tool loop, the repair turn and
 * the turns after a person's answer. A conversation that uses it up fails the attempt and drops its
 * checkpoint, so the retry starts over. Not thread-safe: one run's.
 */
final class AgentConversation {
  private final TaskContext task;
  private final LlmClient llm;
  private final String model;
  private final AgentToolbox tools;
  private final int maxSteps;
  private final List<ChatMessage> messages;
  private int steps;
  private boolean repairAsked;
  private ToolApproval.Decision decision;

  private AgentConversation(
      TaskContext task,
      LlmClient llm,
      String model,
      AgentToolbox tools,
      int maxSteps,
      List<ChatMessage> messages,
      int steps,
      boolean repairAsked) {
    this.task = task;
    this.llm = llm;
    this.model = model;
    this.tools = tools;
    this.maxSteps = maxSteps;
    this.messages = messages;
    this.steps = steps;
    this.repairAsked = repairAsked;
  }

  /** A conversation that starts with {@code messages} (system prompt and task). */
  static AgentConversation start(
      TaskContext task,
      LlmClient llm,
      String model,
      AgentToolbox tools,
      int maxSteps,
      List<ChatMessage> messages) {
    return new AgentConversation(
        task, llm, model, tools, maxSteps, new ArrayList<>(messages), 0, false);
  }

  /**
   * The conversation an earlier attempt of this task saved, if any: its progress checkpoint, else
   * the state it parked with when it asked a person (with the answer: a question's answer becomes
   * the tool result; an approval's decision is taken when the call comes up).
   */
  static Optional<AgentConversation> resume(
      TaskContext task, LlmClient llm, String model, AgentToolbox tools, int maxSteps) {
    Optional<JsonNode> progress = task.progress();
    if (progress.isPresent()) {
      AgentConversation conversation =
          new AgentConversation(task, llm, model, tools, maxSteps, progress.get());
      task.recordEvent(
          LlmActionOrchestrator.AGENT_RESUMED,
          Json.object()
              .put("from", "checkpoint")
              .put("messages", conversation.messages.size())
              .put("steps", conversation.steps));
      return Optional.of(conversation);
    }
    if (task.answer().isEmpty()) return Optional.empty();
    JsonNode state = task.savedState().orElseThrow();
    AgentConversation conversation =
        new AgentConversation(task, llm, model, tools, maxSteps, state);
    Optional<ToolApproval.Decision> decision = ToolApproval.decision(task);
    if (decision.isPresent()) conversation.decision = decision.get();
    else conversation.messages.add(AskHumanTool.answerOf(task, state));
    return Optional.of(conversation);
  }

  /** A conversation as {@link #state()} saved it. */
  private AgentConversation(
      TaskContext task,
      LlmClient llm,
      String model,
      AgentToolbox tools,
      int maxSteps,
      JsonNode state) {
    this(
        task,
        llm,
        model,
        tools,
        maxSteps,
        new ArrayList<>(ChatMessageDeserializer.messagesFromJson(state.get("messages").toString())),
        state.path("steps").asInt(),
        state.path("repairAsked").asBoolean());
  }

  /**
   * Talks until the model answers without asking for tools; saves every turn.
   *
   * @throws AskPerson when the model asked a person ({@code ask_human}) or called a tool that needs
   *     approval: the task waits with the conversation as its state
   */
  String answer() throws InterruptedException, AskPerson {
    for (; ; ) {
      AiMessage turn = openTurn();
      if (turn != null && !turn.hasToolExecutionRequests()) {
        return turn.text() == null ? "" : turn.text();
      }
      if (turn != null && hasPendingCalls(turn)) {
        runPendingCalls(turn);
        continue;
      }
      if (steps >= maxSteps) {
        task.saveProgress(Json.MAPPER.nullNode());
        throw TaskFailedException.retryable(
            "the model did not finish within maxSteps = "
                + maxSteps
                + " model calls (it kept asking for tools); the retry starts the conversation over");
      }
      steps++;
      Builder request = ChatRequest.builder().messages(messages);
      List<ToolSpecification> specs = tools.specs();
      if (!specs.isEmpty()) request.toolSpecifications(specs);
      messages.add(llm.chat(task, model, request.build()).aiMessage());
      save();
    }
  }

  /** True once the repair turn was asked for (it is asked once). */
  boolean repairAsked() {
    return repairAsked;
  }

  /** Sends the schema errors of the last answer back, once. */
  void askRepair(List<String> errors) {
    messages.add(
        UserMessage.from(
            "Your answer does not match the JSON Schema:\n- "
                + String.join("\n- ", errors)
                + "\nAnswer again with only the corrected JSON object."));
    repairAsked = true;
    save();
  }

  /** The last model answer, when nothing but results of its tool calls follows it. */
  private AiMessage openTurn() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage message = messages.get(i);
      if (message instanceof ToolExecutionResultMessage) continue;
      return message instanceof AiMessage ai ? ai : null;
    }
    return null;
  }

  private boolean hasPendingCalls(AiMessage turn) {
    Set<String> answered = answeredCallIds();
    return turn.toolExecutionRequests().stream().anyMatch(call -> !answered.contains(call.id()));
  }

  private Set<String> answeredCallIds() {
    Set<String> ids = new HashSet<>();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!(messages.get(i) instanceof ToolExecutionResultMessage result)) break;
      ids.add(result.id());
    }
    return ids;
  }

  /**
   * Runs the calls of {@code turn} that have no result yet, in order; a question to a person comes
   * last, once every other call of the turn has its result.
   */
  private void runPendingCalls(AiMessage turn) throws InterruptedException, AskPerson {
    Set<String> answered = answeredCallIds();
    ToolExecutionRequest question = null;
    for (ToolExecutionRequest call : turn.toolExecutionRequests()) {
      if (answered.contains(call.id())) continue;
      if (call.name().equals(AskHumanTool.NAME) && tools.mayAskHuman()) {
        question = call;
        continue;
      }
      addResult(call, run(turn, call));
    }
    if (question != null) {
      Optional<String> assignee = AskHumanTool.assignee(task);
      if (assignee.isPresent()) {
        throw AskHumanTool.ask(task, assignee.get(), question, state());
      }
      String error =
          "error: there is no one to ask; the activity names no assignee and the process"
              + " no initiator. Carry on without asking.";
      BuiltinTools.recordCall(task, AskHumanTool.NAME, question.arguments(), error, true);
      addResult(question, error);
    }
  }

  private String run(AiMessage turn, ToolExecutionRequest call)
      throws InterruptedException, AskPerson {
    AgentTool tool = tools.get(call.name());
    if (tool == null) {
      String error = "error: no tool named '" + call.name() + "'; available: " + tools.modelNames();
      BuiltinTools.recordCall(task, call.name(), call.arguments(), error, false);
      return error;
    }
    if (!tool.ref().needsApproval()) return tool.runner().run(task, call.arguments());
    if (decision != null && decision.toolCallId().equals(call.id())) {
      ToolApproval.Decision decided = decision;
      decision = null;
      return decided.approved()
          ? tool.runner().run(task, decided.arguments())
          : ToolApproval.refusal(decided);
    }
    Optional<String> assignee = AskHumanTool.assignee(task);
    if (assignee.isEmpty()) {
      return "error: this call needs a person's approval, but the activity names no assignee"
          + " and the process no initiator; it was not made";
    }
    throw ToolApproval.ask(task, assignee.get(), tool, call, turn.text(), state());
  }

  private void addResult(ToolExecutionRequest call, String result) {
    messages.add(ToolExecutionResultMessage.from(call, result));
    save();
  }

  /** What a park or a checkpoint keeps: the messages, the steps used, the repair asked. */
  private ObjectNode state() {
    ObjectNode state = Json.object();
    state.set("messages", Json.parse(ChatMessageSerializer.messagesToJson(messages)));
    state.put("steps", steps).put("repairAsked", repairAsked);
    return state;
  }

  private void save() {
    task.saveProgress(state());
  }
}
