package dev.podflow.engine.transition;

/** How an attempt ended, as recorded; also the {@code outcome} tag of task metrics. */
public enum TaskOutcome {
  COMPLETED,
  RETRY_SCHEDULED,
  DEAD,
  RELEASED,
  /** The pod no longer held the claim; nothing was written. */
  STALE;

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
