package dev.podflow.store.task;

import dev.podflow.store.instance.ProcessInstance;

/** A task just claimed and its instance, as {@link dev.podflow.store.HotSql#claim} reads them. */
public record ClaimedRow(Task task, ProcessInstance instance) {}
