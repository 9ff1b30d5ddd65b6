package dev.podflow.store.task;

/** What a WAITING task waits for ({@code todolist.waiting_for}). */
public enum WaitingFor {
  /** A person's answer, which becomes the task's output (the {@code human} orchestrator). */
  PERSON,
  /**
   * A person's answer to a question the task's agent asked; the answer resumes the task, which runs
   * again from its checkpoint.
   */
  ANSWER,
  /**
   * A person's approval of a tool call the task's agent wants to make; the answer resumes the task,
   * which makes the call (or tells the model it was refused) and runs on from its checkpoint.
   */
  APPROVAL,
  /** Its child tasks; the last of them to finish resumes it. */
  CHILDREN,
  /** A sub-process instance, whose output completes the task. */
  SUBPROCESS,
  /** The branches that can still reach this join activity. */
  JOIN;

  /** True when a person's answer is what the task waits for. */
  public boolean isForPerson() {
    return this == PERSON || this == ANSWER || this == APPROVAL;
  }
}
