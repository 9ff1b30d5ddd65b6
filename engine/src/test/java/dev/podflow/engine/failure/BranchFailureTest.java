package dev.podflow.engine.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One branch dies while another goes on: nothing done is lost, and a retry resumes the whole
 * process.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class BranchFailureTest {
  @Test
  void survivingBranchKeepsGoingAndRetryCompletesTheProcess(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    // a1 fans out to a2 and a3; a2 leads on to a4; a3 ends its brancf.
    ObjectNode definition = Definitions.linear("branches", "noop", "noop", "noop", "noop");
    var activities = definition.withArray("activities");
    ((ObjectNode) activities.get(0)).putArray("next").add("a2").add("a3");
    ((ObjectNode) activities.get(1)).putArray("next").add("a4");
    ((ObjectNode) activities.get(2)).putArray("next");
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", definition);
    UUID instance = f.start("branches");

    f.engine.completions().complete(claim(f, "a1").task(), Json.object().put("step", 1));
    ClaimedTask a2 = claim(f, "a2");
    ClaimedTask a3 = claim(f, "a3");
    f.engine.failures().fail(a3.task(), "a3 is broken", false, Backoff.DEFAULT);
    assertThat(f.instanceStatus(instance)).isEqualTo("ERROR");

    f.engine.completions().complete(a2.task(), Json.object().put("step", 2));
    f.engine.completions().complete(claim(f, "a4").task(), Json.object().put("step", 4));
    assertThat(f.instanceStatus(instance))
        .as("a dead branch keeps the instance in ERROR")
        .isEqualTo("ERROR");

    f.engine.instances().retry(instance, "test");
    assertThat(f.instanceStatus(instance)).isEqualTo("RUNNING");
    f.engine.completions().complete(claim(f, "a3").task(), Json.object().put("step", 3));

    assertThat(f.instanceStatus(instance)).isEqualTo("COMPLETED");
    assertThat(f.tasksOf(instance))
        .extracting(Task::status)
        .containsOnly(TaskStatus.DONE)
        .hasSize(4);
    assertThat(f.events.count(instance, "process_completed")).isEqualTo(1);
  }

  private static ClaimedTask claim(EngineFixture f, String activityId) {
    ClaimedTask claimed = f.claimNext("test").orElseThrow();
    assertThat(claimed.task().activityId()).isEqualTo(activityId);
    return claimed;
  }
}
