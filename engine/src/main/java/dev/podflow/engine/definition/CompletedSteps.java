package dev.podflow.engine.definition;

import java.util.Map;

/**
 * Where conditions find {@code steps}: the latest DONE pass of each activity of the instance.
 * {@link ProcessDefinition#successorsOf} asks for them only when a condition it evaluates mentions
 * {@code steps}, and at most once per call, so a definition whose conditions never read other steps
 * costs no query. Implementations read the instance in the caller's transaction; their failures
 * propagate to the caller.
 */
@FunctionalInterface
public interface CompletedSteps {
  /** No step has completed (or none is known), e.g. for checks outside an instance. */
  CompletedSteps NONE = Map::of;

  /** Activity id → its latest DONE pass, for every activity of the instance that has one. */
  Map<String, CompletedStep> latestByActivity();
}
