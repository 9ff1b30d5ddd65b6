package dev.podflow.engine.transition;

import dev.podflow.engine.definition.CompletedStep;
import dev.podflow.engine.definition.CompletedSteps;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The completed steps of one instance, read in the caller's transaction with one query the first
 * time a condition needs them ({@link TaskDao#taskListLatestDone}).
 */
final class DoneSteps implements CompletedSteps {
  private final Handle handle;
  private final UUID instanceId;
  private Map<String, CompletedStep> latest;

  DoneSteps(Handle handle, UUID instanceId) {
    this.handle = handle;
    this.instanceId = instanceId;
  }

  @Override
  public Map<String, CompletedStep> latestByActivity() {
    if (latest == null) {
      latest = new HashMap<>();
      for (Task task : handle.attach(TaskDao.class).taskListLatestDone(instanceId)) {
        latest.put(task.activityId(), new CompletedStep(task.output()));
      }
    }
    return latest;
  }
}
