package dev.podflow.engine.navigation;

import dev.podflow.engine.definition.CompletedStep;
import dev.podflow.engine.definition.CompletedSteps;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.store.task.Task;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The completed steps of one instance, read in the caller's transaction with one query the first
 * time a condition needs them ({@link dev.podflow.store.task.TaskDao#taskListLatestDone}).
 */
final class DoneSteps implements CompletedSteps {
  private final QueueTx tx;
  private final UUID instanceId;
  private Map<String, CompletedStep> latest;

  DoneSteps(QueueTx tx, UUID instanceId) {
    this.tx = tx;
    this.instanceId = instanceId;
  }

  @Override
  public Map<String, CompletedStep> latestByActivity() {
    if (latest == null) {
      latest = new HashMap<>();
      for (Task task : tx.tasks().taskListLatestDone(instanceId)) {
        latest.put(task.activityId(), new CompletedStep(task.output(), task.pass()));
      }
    }
    return latest;
  }
}
