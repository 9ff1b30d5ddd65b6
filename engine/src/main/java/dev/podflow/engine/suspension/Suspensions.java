package dev.podflow.engine.suspension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.StaleClaimException;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.ProcessDefinition;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.navigation.Navigator;
import dev.podflow.engine.outbox.Outbox;
import dev.podflow.engine.tx.Notice;
import dev.podflow.engine.tx.QueueTx;
import dev.podflow.engine.tx.TxRunner;
import dev.podflow.store.Json;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.store.task.WaitingFor;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Steps that wait instead of finishing: a claimed task parked for a person, asking a person, split
 * into child tasks, or running a sub-process — and a person's answer, which ends a wait. A parked
 * task holds no lease (no pod holds it; the rescuer leaves it alone); what ends the wait is here
 * (an answer) or in {@link Navigator} (the last child done, the sub-process completed).
 *
 * <p>Locks, in this order: a child task's parent row (for an answer), the task row (its fenced
 * park, or the answer's lock), then the instance row; a sub-process's new rows are its own.
 * Thread-safe.
 */
public final class Suspensions {
  private final TxRunner runner;
  private final DefinitionCatalog catalog;
  private final Navigator navigator;
  private final ProcessStarter starter;
  private final Outbox outbox;

  public Suspensions(
      TxRunner runner,
      DefinitionCatalog catalog,
      Navigator navigator,
      ProcessStarter starter,
      Outbox outbox) {
    this.runner = runner;
    this.catalog = catalog;
    this.navigator = navigator;
    this.starter = starter;
    this.outbox = outbox;
  }

  /**
   * Parks a claimed task for a person: WAITING for {@code assignee}'s answer, which must satisfy
   * {@code form} (a JSON Schema; {@code null}: any JSON object) and becomes the task's output. A
   * {@code task_assigned} notification for the assignee is queued with it. The instance is WAITING
   * unless another of its tasks can still run.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome park(Task claimed, String assignee, JsonNode form) {
    return waitForPerson(claimed, WaitingFor.PERSON, assignee, form, null);
  }

  /**
   * Parks a claimed task whose agent asked a person something: like {@link #park}, but the answer
   * resumes the task (PENDING, fresh attempts) instead of completing it, and the orchestrator finds
   * {@code state} and the answer in the task's checkpoint when it runs again. {@code waitingFor}
   * says what is asked: {@link WaitingFor#ANSWER} to a question, {@link WaitingFor#APPROVAL} of a
   * tool call.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome askPerson(
      Task claimed, WaitingFor waitingFor, String assignee, JsonNode form, JsonNode state) {
    if (waitingFor != WaitingFor.ANSWER && waitingFor != WaitingFor.APPROVAL) {
      throw new IllegalArgumentException(
          "an agent asks for an ANSWER or an APPROVAL, not " + waitingFor);
    }
    return waitForPerson(claimed, waitingFor, assignee, form, checkpoint(state, null));
  }

  private TaskOutcome waitForPerson(
      Task claimed, WaitingFor waitingFor, String assignee, JsonNode form, JsonNode checkpoint) {
    return runner.inTransaction(
        tx -> {
          park(tx, claimed, waitingFor, assignee, form, checkpoint);
          ProcessInstance instance =
              tx.instances().instanceLock(claimed.procInstId()).orElseThrow();
          tx.events().waitingForPerson(claimed, waitingFor, assignee, form);
          ProcessDefinition definition =
              catalog
                  .get(
                      tx.handle(),
                      instance.tenantId(),
                      instance.procDefId(),
                      instance.procDefVersion())
                  .definition();
          outbox.taskWaiting(tx, instance, definition, claimed, waitingFor, assignee, form);
          navigator.settle(tx, instance);
          return TaskOutcome.WAITING;
        });
  }

  /**
   * Splits a claimed task into child tasks, one per input, that any pod may claim: they run the
   * same activity (orchestrator and config) with their own input and no successors. The task waits
   * (WAITING for CHILDREN) until every child is DONE; then it runs again, with fresh attempts, and
   * finds {@code state} in its checkpoint and the children's outputs in {@link
   * dev.podflow.engine.queue.ClaimedTask#children()}.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome spawnChildren(Task claimed, JsonNode state, List<JsonNode> childInputs) {
    if (childInputs.isEmpty()) throw new IllegalArgumentException("no child tasks to spawn");
    return runner.inTransaction(
        tx -> {
          park(tx, claimed, WaitingFor.CHILDREN, null, null, checkpoint(state, null));
          ProcessInstance instance =
              tx.instances().instanceLock(claimed.procInstId()).orElseThrow();
          tx.events().waitingForChildren(claimed, childInputs.size());
          for (JsonNode input : childInputs) {
            long childId =
                tx.tasks()
                    .taskInsert(
                        new NewTask(
                            instance.id(),
                            claimed.activityId(),
                            claimed.orchestrator(),
                            claimed.priority(),
                            claimed.maxAttempts(),
                            input,
                            claimed.id(),
                            claimed.pass()));
            tx.events().childQueued(claimed, childId);
          }
          tx.afterCommit(Notice.tasksReady());
          navigator.settle(tx, instance);
          return TaskOutcome.WAITING;
        });
  }

  /**
   * Starts a sub-process for a claimed task: an instance of {@code definitionId} ({@code version},
   * or the latest when null) with {@code input}, whose output completes the task when it completes
   * (WAITING for SUBPROCESS until then). A sub-process that fails or is cancelled makes the task
   * DEAD and its instance ERROR.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   * @throws dev.podflow.engine.definition.DefinitionNotFoundException when the parent instance's
   *     tenant has no such definition; nothing is written
   * @throws dev.podflow.engine.instance.InvalidProcessInputException when {@code input} does not
   *     fit the definition version's {@code inputSchema}; nothing is written
   */
  public TaskOutcome startSubprocess(
      Task claimed, String definitionId, Integer version, JsonNode input) {
    return runner.inTransaction(
        tx -> {
          park(tx, claimed, WaitingFor.SUBPROCESS, null, null, null);
          ProcessInstance instance =
              tx.instances().instanceLock(claimed.procInstId()).orElseThrow();
          // The sub-process runs in its parent's tenant, so its definition is that tenant's.
          PublishedDefinition published =
              version == null
                  ? catalog.latest(tx.handle(), instance.tenantId(), definitionId)
                  : catalog.get(tx.handle(), instance.tenantId(), definitionId, version);
          UUID childId =
              starter
                  .insert(
                      tx,
                      published,
                      new StartCommand(
                          definitionId,
                          input,
                          null,
                          "task:" + claimed.id(),
                          instance.tenantId(),
                          null),
                      claimed.id())
                  .orElseThrow()
                  .id();
          tx.events().waitingForSubprocess(claimed, childId, definitionId, published.version());
          navigator.settle(tx, instance);
          return TaskOutcome.WAITING;
        });
  }

  /**
   * Hands a claimed task back to run again in {@code delay}, without counting the attempt, with
   * {@code state} in its checkpoint and the SHA-256 of {@code wakeToken}, so that the token's
   * holder may make it due sooner ({@link #wake}). The instance stays RUNNING; the task is PENDING.
   *
   * @throws StaleClaimException when the claim is no longer held; nothing is written
   */
  public TaskOutcome pollLater(Task claimed, JsonNode state, Duration delay, String wakeToken) {
    return runner.inTransaction(
        tx -> {
          if (tx.tasks()
                  .taskPollLater(
                      claimed.id(),
                      claimed.claimToken(),
                      delay.toMillis() / 1000.0,
                      checkpoint(state, null),
                      WakeTokens.hash(wakeToken))
              == 0) {
            throw new StaleClaimException(claimed.id(), claimed.claimedBy());
          }
          tx.events().pollScheduled(claimed, delay);
          // Due at once when its delay is none or a wake came while it ran; else the pods' poll
          // fallback finds it when due.
          tx.afterCommit(Notice.tasksReady());
          return TaskOutcome.POLL_SCHEDULED;
        });
  }

  /**
   * Makes a task handed back with {@link #pollLater} due now, when {@code wakeToken} is the token
   * of its current wait (compared in constant time); false, changing nothing, for any other token,
   * a task not waiting so, or one claimed since. The task's tenant is not needed: the token is the
   * credential (a peer's push notification carries it).
   */
  public boolean wake(long taskId, String wakeToken) {
    return runner.inTransaction(
        tx -> {
          byte[] expected = tx.tasks().taskWakeTokenHash(taskId).orElse(null);
          byte[] given = WakeTokens.hash(wakeToken);
          if (expected == null || !MessageDigest.isEqual(expected, given)) {
            return false;
          }
          boolean woken = tx.tasks().taskWake(taskId, given);
          if (woken) tx.afterCommit(Notice.tasksReady());
          return woken;
        });
  }

  /**
   * A person's answer to a WAITING task. A task parked for a person ({@link #park}) is DONE with
   * {@code output} and the process goes on exactly as after a pod's completion; a task whose agent
   * asked a question or an approval ({@link #askPerson}) runs again with the answer in its
   * checkpoint. Of two answers to one task exactly one succeeds: the task row is locked first.
   *
   * @param by who sent the answer, recorded in its event (see {@link
   *     dev.podflow.engine.tx.EventWriter#completedByPerson})
   * @return the task as the answer left it
   * @throws TaskNotFoundException when no task has the id
   * @throws TaskNotWaitingException when the task is not WAITING for a person
   * @throws FormViolationException when {@code output} does not satisfy the task's form
   */
  public Task answer(long taskId, JsonNode output, String by) {
    return runner.inTransaction(
        tx -> {
          Task unlocked =
              tx.tasks().taskGet(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
          if (unlocked.parentTaskId() != null) tx.tasks().taskLock(unlocked.parentTaskId());
          Task waiting =
              tx.tasks().taskLock(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
          if (waiting.status() != TaskStatus.WAITING || !waiting.waitingFor().isForPerson()) {
            throw new TaskNotWaitingException(taskId, waiting.status(), waiting.waitingFor());
          }
          if (waiting.form() != null) {
            List<FormSchema.Violation> violations = FormSchema.validate(waiting.form(), output);
            if (!violations.isEmpty()) throw new FormViolationException(taskId, violations);
          }
          if (waiting.waitingFor() != WaitingFor.PERSON) {
            JsonNode state =
                waiting.checkpoint() == null ? null : waiting.checkpoint().get("state");
            Task resumed = tx.tasks().taskResume(taskId, checkpoint(state, output)).orElseThrow();
            ProcessInstance instance =
                tx.instances().instanceLock(resumed.procInstId()).orElseThrow();
            tx.events().resumedWithAnswer(resumed, waiting.waitingFor(), output, by);
            tx.afterCommit(Notice.tasksReady());
            navigator.settle(tx, instance);
            return resumed;
          }
          Task done =
              tx.tasks()
                  .taskCompleteWaiting(taskId, output)
                  .orElseThrow(() -> new TaskNotWaitingException(taskId, waiting.status(), null));
          tx.events().completedByPerson(done, output, by);
          navigator.completed(tx, done, output);
          return done;
        });
  }

  private static void park(
      QueueTx tx,
      Task claimed,
      WaitingFor waitingFor,
      String assignee,
      JsonNode form,
      JsonNode checkpoint) {
    if (tx.tasks()
            .taskPark(claimed.id(), claimed.claimToken(), waitingFor, assignee, form, checkpoint)
        == 0) {
      throw new StaleClaimException(claimed.id(), claimed.claimedBy());
    }
  }

  /** A checkpoint column value: the orchestrator's state and, once given, a person's answer. */
  private static JsonNode checkpoint(JsonNode state, JsonNode answer) {
    ObjectNode checkpoint = Json.object();
    checkpoint.set("state", state == null ? Json.object() : state);
    if (answer != null) checkpoint.set("answer", answer);
    return checkpoint;
  }
}
