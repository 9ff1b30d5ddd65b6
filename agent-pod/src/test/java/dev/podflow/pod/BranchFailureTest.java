package dev.podflow.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Backoff;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One branch dies while another goes on: nothing done is lost, and a retry resumes the whole
 * process.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class BranchFailureTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Test
  void survivingBranchKeepsGoingAndRetryCompletesTheProcess(TestDatabase testDb) {
    try (PodHarness h = new PodHarness(testDb)) {
      // a1 fans out to a2 and a3; a2 leads on to a4; a3 ends its branch.
      ObjectNode definition = Definitions.linear("branches", "noop", "noop", "noop", "noop");
      var activities = definition.withArray("activities");
      ((ObjectNode) activities.get(0)).putArray("next").add("a2").add("a3");
      ((ObjectNode) activities.get(1)).putArray("next").add("a4");
      ((ObjectNode) activities.get(2)).putArray("next");
      h.catalog.publish(definition);
      UUID instance = h.start("branches");

      h.engine.completions().complete(claim(h, "a1").task(), Json.object().put("step", 1));
      ClaimedTask a2 = claim(h, "a2");
      ClaimedTask a3 = claim(h, "a3");
      h.engine.failures().fail(a3.task(), "a3 is broken", false, Backoff.DEFAULT);
      assertThat(h.instanceStatus(instance)).isEqualTo("ERROR");

      h.engine.completions().complete(a2.task(), Json.object().put("step", 2));
      h.engine.completions().complete(claim(h, "a4").task(), Json.object().put("step", 4));
      assertThat(h.instanceStatus(instance))
          .as("a dead branch keeps the instance in ERROR")
          .isEqualTo("ERROR");

      h.engine.instances().retry(instance);
      assertThat(h.instanceStatus(instance)).isEqualTo("RUNNING");
      h.engine.completions().complete(claim(h, "a3").task(), Json.object().put("step", 3));

      assertThat(h.instanceStatus(instance)).isEqualTo("COMPLETED");
      assertThat(h.tasksOf(instance))
          .extracting(Task::status)
          .containsOnly(TaskStatus.DONE)
          .hasSize(4);
      assertThat(h.count("SELECT count(*) FROM events WHERE type = 'process_completed'"))
          .isEqualTo(1);
    }
  }

  private static ClaimedTask claim(PodHarness h, String activityId) {
    ClaimedTask claimed =
        h.engine.queue().claim("test", LEASE, 1).stream().findFirst().orElseThrow();
    assertThat(claimed.task().activityId()).isEqualTo(activityId);
    return claimed;
  }
}
