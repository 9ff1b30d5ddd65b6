package dev.podflow.a2a.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.a2a.A2aPeers;
import dev.podflow.a2a.A2aPushSender;
import dev.podflow.a2a.PeerCall;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.definition.UploadCheck;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.PollLater;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.engine.suspension.WakeTokens;
import dev.podflow.outbound.HttpUrls;
import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import dev.podflow.store.secret.SecretCipher;
import io.a2a.spec.AgentCard;
import io.a2a.spec.EventKind;
import io.a2a.spec.PushNotificationConfig;
import io.a2a.spec.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code a2a}: delegates a step to another agent over A2A (protocol 0.3). Config {@code
 * {"agentCardUrl": "https://…/.well-known/agent-card.json", "message": "<template>",
 * "replyTimeoutSeconds": 60, "blocking": true, "maxWaitSeconds": 86400}}: the message is rendered
 * with the placeholders prompts use ({@link PromptTemplate}) and sent as one text part ({@code
 * message/send}) to the agent the card describes, waiting up to {@code replyTimeoutSeconds} for the
 * answer. With {@code blocking} (the default) the peer answers once its task is done; with {@code
 * false} it answers at once with its task.
 *
 * <p>A peer's task that is still submitted or working does not hold the pod: the task is handed
 * back ({@link PollLater}) and asks {@code tasks/get} again after a delay that grows from 1 s to 30
 * s, or from 30 s to 5 min when the pod has {@value #PUBLIC_URL} and the peer was asked to push
 * every change of its task to {@code <public URL>/webhooks/a2a/<task id>} with a token of its own,
 * which makes the task due at once. A task still unfinished after {@code maxWaitSeconds} is
 * cancelled at the peer and fails the step. A peer's task that asks for input ({@code
 * input-required}) becomes a question in the inbox ({@link AskPerson}) for the activity's {@code
 * assignee}, else the process's initiator; the person's {@code {"text": …}} goes back to the peer
 * as the next message of the same task, and the step waits again. Cancelling the process while the
 * step waits asks the peer to cancel its task ({@link #cleanUp}, from the pods' outbox). The answer
 * becomes the output ({@link A2aReplies}); a peer that cannot be reached or answers with an error
 * fails the attempt (retried per {@code maxAttempts}); a refused URL, or a peer task that failed,
 * was rejected or cancelled, fails it for good. Each exchange is an {@code a2a_call} event ({@link
 * A2aPeers}). Thread-safe once started.
 */
public final class A2aOrchestrator implements Orchestrator {
  public static final String NAME = "a2a";

  /** The API's public base URL, where peers push their task updates. */
  public static final String PUBLIC_URL = "PODFLOW_PUBLIC_URL";

  /** Where under the public URL a peer pushes the updates of a task's peer task. */
  public static final String WEBHOOK_PATH = "/webhooks/a2a/";

  static final int DEFAULT_REPLY_TIMEOUT_SECONDS = 60;
  static final int MAX_REPLY_TIMEOUT_SECONDS = 3600;
  static final int DEFAULT_MAX_WAIT_SECONDS = 86_400;
  static final int MAX_MAX_WAIT_SECONDS = 30 * 86_400;

  private static final Logger LOG = LoggerFactory.getLogger(A2aOrchestrator.class);

  // Set by start, before the pod's slots (which call run) start.
  private PeerTargets targets;
  private PeerMessages messages;
  private A2aPeers peers;
  private Clock clock;
  private Optional<String> publicUrl;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(
        Set.of(
            "agentCardUrl",
            "agent",
            "message",
            "replyTimeoutSeconds",
            "blocking",
            "maxWaitSeconds",
            "assignee"));
    boolean byUrl = check.config().hasNonNull("agentCardUrl");
    if (byUrl == check.config().hasNonNull("agent")) {
      check.violation(
          "/agentCardUrl",
          "give either agentCardUrl (the peer's agent card) or agent (an agent profile whose a2a"
              + " names the peer and its credentials), not both");
    } else if (byUrl) {
      String url = check.requiredText("agentCardUrl", "the URL of the peer's agent card");
      if (url != null && !HttpUrls.isHttpUrl(url)) {
        check.violation("/agentCardUrl", "must be an http or https URL with a host");
      }
    } else {
      check.requiredId("agent");
    }
    PromptTemplate.check(check, "message", "the message template");
    check.optionalInt("replyTimeoutSeconds", 1, MAX_REPLY_TIMEOUT_SECONDS);
    check.optionalBoolean("blocking");
    check.optionalInt("maxWaitSeconds", 1, MAX_MAX_WAIT_SECONDS);
    check.optionalUserId("assignee");
  }

  @Override
  public void checkUpload(UploadCheck check) {
    check.knownAgent("/agent", check.config().get("agent"));
  }

  @Override
  public void start(PodServices pod) {
    this.targets = new PeerTargets(pod.jdbi(), SecretCipher.fromEnvironment(pod.settings()));
    this.messages = new PeerMessages(pod.jdbi());
    this.clock = pod.clock();
    this.peers = A2aPeers.forPod(pod);
    A2aPushSender.forPod(pod); // pods deliver the pushes callers of Podflow's A2A server asked for
    String url = new Environment(pod.settings()).text(PUBLIC_URL);
    if (url != null && !HttpUrls.isHttpUrl(url)) {
      throw new InvalidConfigurationException(
          PUBLIC_URL + " must be the API's public http(s) base URL, e.g. https://podflow.example");
    }
    this.publicUrl = Optional.ofNullable(url).map(u -> u.replaceAll("/+$", ""));
  }

  @Override
  public JsonNode run(TaskContext task) throws PollLater, AskPerson {
    JsonNode config = task.config();
    Duration timeout =
        Duration.ofSeconds(config.path("replyTimeoutSeconds").asInt(DEFAULT_REPLY_TIMEOUT_SECONDS));
    ObjectNode target = targets.target(task.tenantId(), config);
    PeerCall call = targets.call(task.tenantId(), target, timeout);
    AgentCard card = peers.card(target.path("agentCardUrl").asText(), call);
    JsonNode saved = task.savedState().orElse(null);
    ObjectNode state;
    EventKind reply;
    if (saved != null && saved.path("awaitingAnswer").asBoolean() && task.answer().isPresent()) {
      state = ((ObjectNode) saved.deepCopy()).put("awaitingAnswer", false);
      state.put("turns", state.path("turns").asInt() + 1);
      reply =
          peers.send(
              task,
              card,
              PeerMessages.answer(task, state),
              call,
              config.path("blocking").asBoolean(true),
              push(task, state.path("wakeToken").asText()));
    } else if (saved != null && saved.hasNonNull("peerTaskId")) {
      state = saved.deepCopy();
      reply = peers.get(task, card, saved.path("peerTaskId").asText(), call);
    } else {
      String token = WakeTokens.mint();
      state =
          Json.object()
              .put("wakeToken", token)
              .put("since", clock.instant().toString())
              .put("push", publicUrl.isPresent())
              .put("polls", 0);
      reply =
          peers.send(
              task,
              card,
              messages.message(task),
              call,
              config.path("blocking").asBoolean(true),
              push(task, token));
    }
    Optional<JsonNode> output = A2aReplies.finished(reply, card.name());
    if (output.isPresent()) return output.get();
    io.a2a.spec.Task peerTask = (io.a2a.spec.Task) reply;
    state.put("peerTaskId", peerTask.getId()).put("contextId", peerTask.getContextId());
    // Cancelling the process asks the peer to cancel this task too (Orchestrator#cleanUp).
    ObjectNode onCancel = state.putObject("onCancel");
    onCancel.setAll(target);
    onCancel.put("peerTaskId", peerTask.getId());
    if (peerTask.getStatus().state() == TaskState.INPUT_REQUIRED) {
      state.put("awaitingAnswer", true);
      throw new AskPerson(
          PeerMessages.assignee(task, card),
          PeerMessages.questionForm(card, A2aReplies.question(peerTask)),
          state);
    }
    Instant since = Instant.parse(state.path("since").asText());
    Duration maxWait =
        Duration.ofSeconds(config.path("maxWaitSeconds").asInt(DEFAULT_MAX_WAIT_SECONDS));
    if (clock.instant().isAfter(since.plus(maxWait))) {
      cancelQuietly(task, card, peerTask.getId(), call);
      throw TaskFailedException.permanent(
          "A2A peer "
              + card.name()
              + " task "
              + peerTask.getId()
              + " is still "
              + peerTask.getStatus().state().asString()
              + " after "
              + maxWait.toSeconds()
              + " s (maxWaitSeconds); it was asked to cancel");
    }
    int polls = state.path("polls").asInt();
    state.put("polls", polls + 1);
    throw new PollLater(
        state, delay(polls, state.path("push").asBoolean()), state.path("wakeToken").asText());
  }

  /**
   * Asks the peer to cancel the task a cancelled step was waiting for ({@code tasks/cancel}); a
   * task the peer no longer has, or can no longer cancel, is left as it is.
   *
   * @throws TaskFailedException when the peer cannot be reached (the pod tries again later)
   */
  @Override
  public void cleanUp(String tenantId, JsonNode onCancel) {
    PeerCall call =
        targets.call(
            tenantId, (ObjectNode) onCancel, Duration.ofSeconds(DEFAULT_REPLY_TIMEOUT_SECONDS));
    AgentCard card = peers.card(onCancel.path("agentCardUrl").asText(), call);
    String peerTaskId = onCancel.path("peerTaskId").asText();
    try {
      peers.cancel(null, card, peerTaskId, call);
      LOG.info("[a2a] asked {} to cancel task {}", card.name(), peerTaskId);
    } catch (TaskFailedException e) {
      String why = e.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (!why.contains("not cancelable") && !why.contains("not found")) throw e;
      LOG.info("[a2a] {} has nothing to cancel in task {}: {}", card.name(), peerTaskId, why);
    }
  }

  /** The wait before poll {@code polls + 1}: doubling, capped; longer when the peer pushes. */
  static Duration delay(int polls, boolean push) {
    long first = push ? 30 : 1;
    long cap = push ? 300 : 30;
    return Duration.ofSeconds(Math.min(cap, first << Math.min(polls, 10)));
  }

  private PushNotificationConfig push(TaskContext task, String token) {
    return publicUrl
        .map(
            url ->
                new PushNotificationConfig.Builder()
                    .url(url + WEBHOOK_PATH + task.claimed().task().id())
                    .token(token)
                    .build())
        .orElse(null);
  }

  private void cancelQuietly(TaskContext task, AgentCard card, String peerTaskId, PeerCall call) {
    try {
      peers.cancel(task, card, peerTaskId, call);
    } catch (TaskFailedException e) {
      LOG.warn("[a2a] could not cancel task {} at {}: {}", peerTaskId, card.name(), e.getMessage());
    }
  }
}
