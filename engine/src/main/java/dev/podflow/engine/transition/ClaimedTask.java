package dev.podflow.engine.transition;

import dev.podflow.engine.definition.Activity;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;

/**
 * A task a pod has claimed, with what it needs to run it: the activity (orchestrator and config) of
 * the definition version the instance pinned, and the instance itself.
 */
public record ClaimedTask(Task task, Activity activity, ProcessInstance instance) {}
