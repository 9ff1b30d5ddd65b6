package dev.podflow.store.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * What is needed to enqueue a task; {@code parentTaskId} is null unless it is a child task, and
 * {@code pass} counts the activity's runs in the instance (see {@link Task#pass()}).
 */
public record NewTask(
    UUID procInstId,
    String activityId,
    String orchestrator,
    int priority,
    int maxAttempts,
    JsonNode input,
    Long parentTaskId,
    int pass) {}
