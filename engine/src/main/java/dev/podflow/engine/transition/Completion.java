package dev.podflow.engine.transition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.task.Task;

/**
 * A claimed task that finished, to be recorded by {@link TaskTransitions#completeAll}: the claim as
 * the pod holds it and its orchestrator's output.
 */
public record Completion(Task task, JsonNode output) {}
