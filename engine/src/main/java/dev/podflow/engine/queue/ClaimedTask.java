package dev.podflow.engine.queue;

import dev.podflow.engine.definition.Activity;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import java.util.List;

/**
 * A task a pod has claimed, with what it needs to run it: the activity (orchestrator and config) of
 * the definition version the instance pinned, the instance itself and, for a task that spawned
 * child tasks and now runs again, those children with their outputs (else empty).
 */
public record ClaimedTask(
    Task task, Activity activity, ProcessInstance instance, List<Task> children) {}
