package dev.podflow.a2a.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.a2a.PeerCall;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Which peer an {@code a2a} step calls and how: the config's {@code agentCardUrl}, or the {@code
 * a2a} of the agent profile it names, whose {@code credentials} name the tenant secret sent as the
 * bearer token (read from the tenant's store with the pod's {@code PODFLOW_SECRETS_KEY}, never from
 * the pod's environment). Thread-safe.
 */
final class PeerTargets {
  private final Jdbi jdbi;
  private final Optional<SecretCipher> secrets;

  PeerTargets(Jdbi jdbi, Optional<SecretCipher> secrets) {
    this.jdbi = jdbi;
    this.secrets = secrets;
  }

  /**
   * The peer: {@code {"agentCardUrl", "credentials"?}}, from the config's {@code agentCardUrl} or
   * from the {@code a2a} of the agent profile the config names.
   */
  ObjectNode target(String tenantId, JsonNode config) {
    if (config.hasNonNull("agentCardUrl")) {
      return Json.object().put("agentCardUrl", config.path("agentCardUrl").asText());
    }
    String agentId = config.path("agent").asText();
    Agent agent =
        jdbi.withHandle(h -> h.attach(AgentDao.class).agentGet(tenantId, agentId))
            .orElseThrow(
                () ->
                    TaskFailedException.permanent(
                        "the a2a step names agent '"
                            + agentId
                            + "', which the tenant no longer has"));
    if (agent.a2a() == null || !agent.a2a().hasNonNull("agentCardUrl")) {
      throw TaskFailedException.permanent(
          "agent '"
              + agentId
              + "' is no A2A peer: give its profile a2a {\"agentCardUrl\", \"credentials\"?}");
    }
    return agent.a2a().deepCopy();
  }

  /**
   * How to call the peer: within {@code timeout}, with {@code Authorization: Bearer <secret>} when
   * the peer names credentials, the tenant's secret of that name (never the pod's environment).
   */
  PeerCall call(String tenantId, ObjectNode target, Duration timeout) {
    String credentials = target.path("credentials").asText(null);
    if (credentials == null) return PeerCall.within(timeout);
    SecretCipher key =
        secrets.orElseThrow(
            () ->
                TaskFailedException.permanent(
                    "the A2A peer's credentials are the tenant's secret "
                        + credentials
                        + ", but this pod has no "
                        + SecretCipher.KEY_VARIABLE
                        + " to read it with"));
    String token =
        jdbi.withHandle(h -> h.attach(SecretDao.class).secretValue(tenantId, credentials, key))
            .orElseThrow(
                () ->
                    TaskFailedException.permanent(
                        "the A2A peer's credentials name the secret "
                            + credentials
                            + ", which the tenant has not stored (PUT /api/v1/secrets/"
                            + credentials
                            + ")"));
    return new PeerCall(timeout, Map.of("Authorization", "Bearer " + token));
  }
}
