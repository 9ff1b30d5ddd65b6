package dev.podflow.engine.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.definition.InvalidDefinitionException;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.WaitingFor;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox rows a step writes in its own transaction: an approval asked of a person, and a
 * completed process told to whoever started it when its definition asks ({@code notify}).
 */
@ExtendWith(PodflowDatabaseExtension.class)
class OutboxTest {

  @Test
  void aCompletedProcessTellsItsInitiatorOnlyWhenTheDefinitionAsks(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            """
            {"id":"told","name":"Told","notify":{"onComplete":"initiator"},
             "activities":[{"id":"a","orchestrator":"noop"}]}"""));
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse("{\"id\":\"quiet\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"));
    UUID told = startAs("told", "ada", f);
    UUID quiet = startAs("quiet", "ada", f);
    f.completeNext("a", Json.object());
    f.completeNext("a", Json.object());
    assertThat(f.instanceStatus(told)).isEqualTo("COMPLETED");
    assertThat(f.instanceStatus(quiet)).isEqualTo("COMPLETED");

    assertThat(
            testDb.number(
                "SELECT count(*) FROM notifications WHERE type = 'process_completed'"
                    + " AND recipient = 'ada' AND status = 'PENDING' AND proc_inst_id = '"
                    + told
                    + "'"))
        .isEqualTo(1);
    assertThat(
            testDb.number(
                "SELECT count(*) FROM notifications WHERE proc_inst_id = '" + quiet + "'"))
        .isZero();
  }

  @Test
  void onlyTheInitiatorCanBeToldOnComplete(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    assertThatThrownBy(
            () ->
                f.catalog.publish(
                    StartCommand.DEFAULT_TENANT,
                    "test",
                    Json.parse(
                        """
                        {"id":"x","notify":{"onComplete":"everyone","when":"always"},
                         "activities":[{"id":"a","orchestrator":"noop"}]}""")))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.violations())
                    .extracting(v -> v.pointer())
                    .containsExactlyInAnyOrder("/notify/onComplete", "/notify/when"));
  }

  @Test
  void anApprovalAskedOfAPersonIsAnApprovalRequestedNotification(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            "{\"id\":\"tools\",\"name\":\"Tools\",\"activities\":[{\"id\":\"call\","
                + "\"name\":\"Call the tool\",\"orchestrator\":\"noop\"}]}"));
    UUID instance = startAs("tools", "ada", f);
    List<ClaimedTask> claimed = f.claim("pod-a", 1);
    f.engine
        .suspensions()
        .askPerson(claimed.getFirst().task(), WaitingFor.APPROVAL, "bob", null, Json.object());

    assertThat(
            testDb.text(
                "SELECT type || ' ' || recipient || ' ' || title FROM notifications"
                    + " WHERE proc_inst_id = '"
                    + instance
                    + "'"))
        .isEqualTo("approval_requested bob Tools: Call the tool asks for your approval");
  }

  private static UUID startAs(String definitionId, String initiator, EngineFixture f) {
    return f.engine
        .starter()
        .start(
            new StartCommand(
                definitionId,
                Json.object(),
                null,
                initiator,
                StartCommand.DEFAULT_TENANT,
                initiator))
        .instance()
        .id();
  }
}
