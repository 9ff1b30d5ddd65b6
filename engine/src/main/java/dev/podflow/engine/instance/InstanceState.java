package dev.podflow.engine.instance;

import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import java.util.List;

/**
 * An instance and all its tasks as one transaction left them.
 *
 * @param changedTaskIds the tasks the command changed (cancelled, or queued again), in id order
 */
public record InstanceState(ProcessInstance instance, List<Task> tasks, List<Long> changedTaskIds) {
  public InstanceState {
    tasks = List.copyOf(tasks);
    changedTaskIds = List.copyOf(changedTaskIds);
  }
}
