package dev.podflow.engine.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.store.Json;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.notification.NewNotification;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.WaitingFor;

/**
 * The notifications outbox: who is told what, written in the transaction of the step that causes
 * it, and the notifiers woken once it commits (issue 16). The one place notification types,
 * recipients and wording live. Each notification's {@code data} carries ids (and a form or an
 * error), which stay in Podflow: the notifier's pushes carry only the title and the ids.
 *
 * <p>Takes no locks of its own: it inserts rows under the caller's instance lock. Thread-safe.
 */
public final class Outbox {
  /** A task parked for a person's answer; to the assignee. */
  public static final String TASK_ASSIGNED = "task_assigned";

  /** A tool call waiting for a person's approval; to the assignee. */
  public static final String APPROVAL_REQUESTED = "approval_requested";

  /** A process ended in ERROR; to each of the tenant's operators and admins. */
  public static final String PROCESS_ERROR = "process_error";

  /** A process completed; to its initiator, when the definition asks ({@code notify}). */
  public static final String PROCESS_COMPLETED = "process_completed";

  /** A task of {@code instance} now waits for {@code assignee}: an answer, or an approval. */
  public void taskWaiting(
      QueueTx tx,
      ProcessInstance instance,
      ProcessDefinition definition,
      Task task,
      WaitingFor waitingFor,
      String assignee,
      JsonNode form) {
    String activityName =
        definition.activity(task.activityId()).map(Activity::name).orElse(task.activityId());
    ObjectNode data = ids(instance).put("taskId", task.id()).put("activityId", task.activityId());
    data.set("form", form);
    boolean approval = waitingFor == WaitingFor.APPROVAL;
    insert(
        tx,
        new NewNotification(
            instance.id(),
            task.id(),
            assignee,
            approval ? APPROVAL_REQUESTED : TASK_ASSIGNED,
            definition.name()
                + ": "
                + activityName
                + (approval ? " asks for your approval" : " is waiting for you"),
            "Process "
                + instance.procDefId()
                + " "
                + instance.id()
                + (approval ? " needs your approval in '" : " needs your answer to '")
                + activityName
                + "'",
            data));
  }

  /**
   * {@code instance} ended in ERROR at {@code task}: one notification for each user of the tenant
   * with the operator or admin role (none when it has no such user).
   */
  public void processFailed(QueueTx tx, ProcessInstance instance, Task task, String error) {
    ObjectNode data = ids(instance).put("taskId", task.id()).put("activityId", task.activityId());
    data.put("error", error);
    int written =
        tx.notifications()
            .notificationInsertForOperators(
                new NewNotification(
                    instance.id(),
                    task.id(),
                    null,
                    PROCESS_ERROR,
                    "Process " + instance.procDefId() + " failed at " + task.activityId(),
                    error == null ? "" : error,
                    data));
    if (written > 0) tx.afterCommit(Notice.notificationsWaiting());
  }

  /** {@code instance} completed: its initiator is told when {@code definition} asks for it. */
  public void processCompleted(QueueTx tx, ProcessInstance instance, ProcessDefinition definition) {
    if (!definition.notifiesInitiatorOnComplete()) return;
    insert(
        tx,
        new NewNotification(
            instance.id(),
            null,
            instance.initiator(),
            PROCESS_COMPLETED,
            definition.name() + " completed",
            "Process " + instance.procDefId() + " " + instance.id() + " completed",
            ids(instance)));
  }

  private static ObjectNode ids(ProcessInstance instance) {
    return Json.object()
        .put("processId", instance.id().toString())
        .put("definitionId", instance.procDefId());
  }

  private static void insert(QueueTx tx, NewNotification notification) {
    tx.notifications().notificationInsert(notification);
    tx.afterCommit(Notice.notificationsWaiting());
  }
}
