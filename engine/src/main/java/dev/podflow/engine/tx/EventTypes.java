package dev.podflow.engine.tx;

/** The {@code events.type} values the engine writes; dashboards and clients match on them. */
public final class EventTypes {
  public static final String PROCESS_STARTED = "process_started";
  public static final String PROCESS_COMPLETED = "process_completed";
  public static final String PROCESS_FAILED = "process_failed";
  public static final String PROCESS_CANCELLED = "process_cancelled";
  public static final String PROCESS_RETRIED = "process_retried";
  public static final String TASK_QUEUED = "task_queued";
  public static final String TASK_CLAIMED = "task_claimed";
  public static final String TASK_COMPLETED = "task_completed";
  public static final String TASK_FAILED = "task_failed";
  public static final String TASK_DEAD = "task_dead";
  public static final String TASK_RELEASED = "task_released";
  public static final String TASK_LEASE_EXPIRED = "task_lease_expired";
  public static final String TASK_CANCELLED = "task_cancelled";
  public static final String TASK_WAITING = "task_waiting";
  public static final String TASK_RESUMED = "task_resumed";
  public static final String TASK_POLL_SCHEDULED = "task_poll_scheduled";
  public static final String JOIN_ARRIVED = "join_arrived";
  public static final String CONDITION_FAILED = "condition_failed";
  public static final String PASS_LIMIT_REACHED = "pass_limit_reached";

  private EventTypes() {}
}
