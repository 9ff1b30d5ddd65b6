package dev.podflow.engine.navigation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.task.Task;

/**
 * A claimed task that finished, to be recorded by {@link Completions#completeAll}: the claim as the
 * pod holds it and its orchestrator's output.
 */
public record Completion(Task task, JsonNode output) {}
