package dev.podflow.launcher;

import dev.podflow.a2a.step.A2aOrchestrator;
import dev.podflow.outbound.OutboundGuard;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The demo's agent-to-agent sample, which needs no outside peer: {@code clause-check} is published
 * as an A2A agent by the demo itself, and {@code delegate-check} hands a clause to it through the
 * protocol, as agent {@code demo-legal} (its card on this demo's own port, its key a user key of
 * the demo's tenant minted at every start and kept as the tenant's secret {@value #SECRET}). The
 * demo's pods may reach their own loopback address for it ({@code PODFLOW_OUTBOUND_ALLOW}, when the
 * operator set none).
 */
final class DemoA2a {
  static final String SAMPLE = "delegate-check";
  static final String AGENT_SAMPLE = "clause-check";
  static final String AGENT = "demo-legal";
  static final String SECRET = "DEMO_A2A_KEY";
  private static final String CALLER = "a2a-caller";

  private DemoA2a() {}

  /**
   * The demo's shared settings with its own loopback address allowed, unless the operator chose.
   */
  static Map<String, String> settings(Map<String, String> shared) {
    if (shared.containsKey(OutboundGuard.SETTING)) return shared;
    Map<String, String> settings = new HashMap<>(shared);
    settings.put(OutboundGuard.SETTING, "127.0.0.1/32");
    return settings;
  }

  /**
   * Mints the key the delegation sends (revoking the last demo's), keeps it as the tenant's secret
   * and points agent {@value #AGENT} at this demo's card of {@value #AGENT_SAMPLE}.
   */
  static void setUp(Database database, int apiPort, SecretCipher cipher) {
    ApiKeys keys = new ApiKeys(database.jdbi(), Clock.systemUTC());
    keys.revokeAllOf(DemoKeys.TENANT, CALLER, DemoKeys.ACTOR);
    String key = keys.create(DemoKeys.TENANT, Role.USER, CALLER, null, DemoKeys.ACTOR).wholeKey();
    String card =
        "http://127.0.0.1:"
            + apiPort
            + "/a2a/"
            + DemoKeys.TENANT
            + "/"
            + AGENT_SAMPLE
            + "/.well-known/agent-card.json";
    database
        .jdbi()
        .useTransaction(
            h -> {
              h.attach(SecretDao.class)
                  .secretPut(DemoKeys.TENANT, SECRET, cipher.encrypt(DemoKeys.TENANT, SECRET, key));
              h.attach(AgentDao.class)
                  .agentUpsert(
                      DemoKeys.TENANT,
                      AGENT,
                      "Legal agent (over A2A)",
                      "",
                      "",
                      null,
                      Json.MAPPER.createArrayNode(),
                      A2aOrchestrator.NAME,
                      Json.object().put("agentCardUrl", card).put("credentials", SECRET),
                      null);
            });
  }
}
