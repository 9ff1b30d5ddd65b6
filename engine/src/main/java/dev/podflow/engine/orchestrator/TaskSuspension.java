package dev.podflow.engine.orchestrator;

/**
 * Thrown by an orchestrator to suspend its task instead of returning an output: the pod records the
 * task as WAITING (for a person, child tasks or a sub-process), or hands it back to run again later
 * ({@link PollLater}), and frees the slot. A signal, not a failure: it costs no attempt and carries
 * no stack trace.
 */
public abstract sealed class TaskSuspension extends Exception
    permits ParkTask, AskPerson, AwaitChildren, StartSubprocess, PollLater {

  TaskSuspension(String message) {
    super(message, null, false, false);
  }

  static String requireAssignee(String assignee) {
    if (assignee == null || assignee.isBlank()) {
      throw new IllegalArgumentException("a task waiting for a person needs a non-blank assignee");
    }
    return assignee;
  }
}
