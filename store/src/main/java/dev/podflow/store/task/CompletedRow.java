package dev.podflow.store.task;

import dev.podflow.store.instance.ProcessInstance;

/**
 * A task {@link dev.podflow.store.HotSql#complete} marked DONE, and its instance as it is under the
 * lock the completion took.
 */
public record CompletedRow(long taskId, ProcessInstance instance) {}
