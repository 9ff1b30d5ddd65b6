package dev.podflow.a2a.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.a2a.A2aPeers;
import dev.podflow.engine.definition.ConfigCheck;
import dev.podflow.engine.definition.PromptTemplate;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import io.a2a.spec.AgentCard;
import io.a2a.spec.Message;
import io.a2a.spec.TextPart;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code a2a}: delegates a step to another agent over A2A (protocol 0.3). Config {@code
 * {"agentCardUrl": "https://…/.well-known/agent-card.json", "message": "<template>",
 * "replyTimeoutSeconds": 60}}: the message is rendered with the placeholders prompts use ({@link
 * PromptTemplate}) and sent as one text part ({@code message/send}, blocking) to the agent the card
 * describes, waiting up to {@code replyTimeoutSeconds} (1 to 3600, default 60). The reply becomes
 * the output ({@link A2aReplies}); a peer that cannot be reached, times out or answers with an
 * error fails the attempt (retried per {@code maxAttempts}); a URL the outbound guard refuses, or a
 * peer task that failed, was rejected or cancelled, fails it for good. Each exchange is an {@code
 * a2a_call} event ({@link A2aPeers}). Thread-safe once started.
 */
public final class A2aOrchestrator implements Orchestrator {
  public static final String NAME = "a2a";
  static final int DEFAULT_REPLY_TIMEOUT_SECONDS = 60;
  static final int MAX_REPLY_TIMEOUT_SECONDS = 3600;

  // Set by start, before the pod's slots (which call run) start.
  private Jdbi jdbi;
  private A2aPeers peers;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkConfig(ConfigCheck check) {
    check.unknownFields(Set.of("agentCardUrl", "message", "replyTimeoutSeconds"));
    String url = check.requiredText("agentCardUrl", "the URL of the peer's agent card");
    if (url != null && !isHttpUrl(url)) {
      check.violation("/agentCardUrl", "must be an http or https URL with a host");
    }
    PromptTemplate.check(check, "message", "the message template");
    check.optionalInt("replyTimeoutSeconds", 1, MAX_REPLY_TIMEOUT_SECONDS);
  }

  @Override
  public void start(PodServices pod) {
    this.jdbi = pod.jdbi();
    this.peers = A2aPeers.forPod(pod);
  }

  @Override
  public JsonNode run(TaskContext task) {
    JsonNode config = task.config();
    Duration timeout =
        Duration.ofSeconds(config.path("replyTimeoutSeconds").asInt(DEFAULT_REPLY_TIMEOUT_SECONDS));
    String cardUrl = config.path("agentCardUrl").asText();
    String text =
        PromptTemplate.render(
            config.path("message").asText(),
            task.input(),
            task.claimed().instance().input(),
            stepOutputs(task));
    AgentCard card = peers.card(cardUrl, timeout);
    Message message =
        new Message.Builder()
            .role(Message.Role.USER)
            .parts(new TextPart(text))
            .messageId(messageId(task))
            .build();
    return A2aReplies.output(peers.send(task, card, message, timeout), card.name());
  }

  /** The same id for the same attempt of the same task, so a peer can tell a repeat. */
  private static String messageId(TaskContext task) {
    String key = "podflow:" + task.claimed().task().id() + ":" + task.attempt();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private Map<String, JsonNode> stepOutputs(TaskContext task) {
    Map<String, JsonNode> outputs = new HashMap<>();
    if (!task.config().path("message").asText().contains("steps.")) return outputs;
    for (Task done :
        jdbi.withHandle(
            h -> h.attach(TaskDao.class).taskListLatestDone(task.claimed().instance().id()))) {
      outputs.put(done.activityId(), done.output());
    }
    return outputs;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI url = new URI(text);
      return url.getHost() != null
          && ("http".equalsIgnoreCase(url.getScheme())
              || "https".equalsIgnoreCase(url.getScheme()));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
