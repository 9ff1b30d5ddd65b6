package dev.podflow.engine.instance;

import dev.podflow.store.instance.ProcessInstance;

/** The instance, and whether this request created it (false: an idempotent repeat). */
public record StartResult(ProcessInstance instance, boolean created) {}
