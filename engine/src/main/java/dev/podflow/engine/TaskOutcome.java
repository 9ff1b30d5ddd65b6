package dev.podflow.engine;

/** How an attempt ended, as recorded; also the {@code outcome} tag of task metrics. */
public enum TaskOutcome {
  COMPLETED,
  RETRY_SCHEDULED,
  DEAD,
  RELEASED,
  /** Handed back to run again later, waiting for something outside; no attempt counted. */
  POLL_SCHEDULED,
  /** Parked for a person (WAITING); it completes when the person answers. */
  WAITING,
  /** The pod no longer held the claim; nothing was written. */
  STALE;

  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
