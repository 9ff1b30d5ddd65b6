package dev.podflow.store.task;

/** How many tasks of one orchestrator are in one unfinished status. */
public record QueueDepth(String orchestrator, TaskStatus status, long tasks) {}
