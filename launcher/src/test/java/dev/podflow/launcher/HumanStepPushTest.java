package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.notifier.NotifierService;
import dev.podflow.notifier.NotifierSettings;
import dev.podflow.notifier.fcm.FcmSettings;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import dev.podflow.store.Notifier;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.FakeFcmServer;
import dev.podflow.testing.FakeFcmServer.Failure;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16's "done when", in one JVM: a process reaches a human step on a pod, and the notifier
 * (woken by the pod's NOTIFY) pushes one FCM message per registered device of the assignee to the
 * fake FCM server, each outcome recorded and the dead token retired.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class HumanStepPushTest {

  @Test
  void aHumanStepPushesToEveryDeviceOfItsAssignee(TestDatabase testDb) throws Exception {
    var jdbi = testDb.database().jdbi();
    jdbi.useHandle(
        h -> {
          h.execute("INSERT INTO users (tenant_id, id) VALUES ('default', 'alice')");
          for (String token : new String[] {"phone", "tablet", "old-phone"}) {
            h.execute(
                "INSERT INTO device_tokens (token, tenant_id, recipient) VALUES (?, 'default',"
                    + " 'alice')",
                token);
          }
        });
    var catalog = new DefinitionCatalog(jdbi, OrchestratorRegistry.discover());
    catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id": "approve", "activities": [
              {"id": "decide", "name": "Approve the order", "orchestrator": "human",
               "config": {"assignee": "alice"}}]}"""));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (FakeFcmServer fcm = FakeFcmServer.start();
        Database podPool = pool(testDb, DatabaseRole.POD, "pod");
        Database notifierPool = pool(testDb, DatabaseRole.NOTIFIER, "notifier");
        AgentPod pod =
            new AgentPod(
                    PodConfig.defaults("pod-1"), podPool, OrchestratorRegistry.discover(), meters)
                .start();
        NotifierService notifier =
            new NotifierService(
                    notifierPool,
                    NotifierSettings.defaults("notifier-1"),
                    NotifierService.channels(
                        Optional.of(
                            new FcmSettings(
                                "shop",
                                null,
                                "test-token",
                                URI.create(fcm.baseUrl()),
                                false,
                                FcmSettings.DEFAULT_TIMEOUT)),
                        Optional.empty(),
                        "human-step-push"),
                    meters)
                .start()) {
      fcm.fail("old-phone", Failure.UNREGISTERED);
      UUID process =
          new Engine(jdbi, catalog, Notifier.inline(jdbi))
              .starter()
              .start(
                  new StartCommand(
                      "approve", Json.object(), null, "bob", StartCommand.DEFAULT_TENANT, null))
              .instance()
              .id();

      // Well within the notifier's 5 s poll: the pod's NOTIFY wakes it.
      Eventually.await(
          Duration.ofSeconds(4),
          "the assignee's notification delivered",
          () -> testDb.number("SELECT count(*) FROM notifications WHERE status = 'SENT'") == 1);

      assertThat(fcm.requests()).hasSize(3);
      assertThat(fcm.requestsTo("phone").getFirst().data("podflow_process_id"))
          .isEqualTo(process.toString());
      assertThat(fcm.requestsTo("tablet").getFirst().data("podflow_task_id")).isNotBlank();
      assertThat(testDb.text("SELECT recipient || ' ' || type FROM notifications"))
          .isEqualTo("alice task_assigned");
      assertThat(
              testDb.number(
                  "SELECT count(*) FROM notification_deliveries WHERE status = 'SENT'"
                      + " AND provider_id LIKE 'projects/shop/messages/%'"))
          .isEqualTo(2);
      assertThat(
              testDb.text("SELECT status FROM notification_deliveries WHERE address = 'old-phone'"))
          .isEqualTo("RETIRED");
      assertThat(testDb.number("SELECT count(*) FROM device_tokens WHERE retired_at IS NOT NULL"))
          .isEqualTo(1);
    }
  }

  private static Database pool(TestDatabase testDb, DatabaseRole role, String name) {
    return Database.connect(testDb.config().withRole(role).withPool(4, "push-" + name));
  }
}
