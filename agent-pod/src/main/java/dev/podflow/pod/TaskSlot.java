package dev.podflow.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.TaskOutcome;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.instance.InvalidProcessInputException;
import dev.podflow.engine.orchestrator.AskPerson;
import dev.podflow.engine.orchestrator.AwaitChildren;
import dev.podflow.engine.orchestrator.Orchestrator;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.orchestrator.ParkTask;
import dev.podflow.engine.orchestrator.PollLater;
import dev.podflow.engine.orchestrator.StartSubprocess;
import dev.podflow.engine.orchestrator.TaskContext;
import dev.podflow.engine.orchestrator.TaskFailedException;
import dev.podflow.engine.orchestrator.TaskSuspension;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker thread of a pod: claim a task (with the other slots asking, see {@link Claimer}), run
 * its orchestrator, hand a completion to the {@link Completer} or commit any other outcome itself;
 * when the queue is empty, wait for a NOTIFY or the jittered poll.
 */
final class TaskSlot implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(TaskSlot.class);

  private final AgentPod pod;
  private final PodConfig config;
  private final Engine engine;
  private final OrchestratorRegistry orchestrators;
  private final LeaseKeeper leases;
  private final WakeSignal wake;
  private final PodMetrics metrics;
  private final TaskDeadlines deadlines;
  private final OutcomeWriter writer;
  private final Claimer claimer;
  private final Completer completer;

  TaskSlot(
      AgentPod pod,
      PodConfig config,
      Engine engine,
      OrchestratorRegistry orchestrators,
      LeaseKeeper leases,
      WakeSignal wake,
      PodMetrics metrics,
      TaskDeadlines deadlines,
      OutcomeWriter writer,
      Claimer claimer,
      Completer completer) {
    this.pod = pod;
    this.config = config;
    this.engine = engine;
    this.orchestrators = orchestrators;
    this.leases = leases;
    this.wake = wake;
    this.metrics = metrics;
    this.deadlines = deadlines;
    this.writer = writer;
    this.claimer = claimer;
    this.completer = completer;
  }

  @Override
  public void run() {
    Duration errorBackoff = Duration.ofMillis(200);
    while (pod.isClaiming()) {
      long seen = wake.generation();
      Optional<ClaimedTask> claimed;
      try {
        claimed = claimer.next();
        errorBackoff = Duration.ofMillis(200);
      } catch (RuntimeException e) {
        metrics.databaseError("claim");
        log.warn(
            "[pod {}] claim failed ({}); retrying in {} ms",
            config.podId(),
            e.getMessage(),
            errorBackoff.toMillis());
        wake.pause(errorBackoff);
        errorBackoff =
            errorBackoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : errorBackoff.multipliedBy(2);
        continue;
      }
      if (claimed.isPresent()) {
        try {
          execute(claimed.get());
        } finally {
          claimer.finished();
        }
      } else {
        wake.awaitAfter(seen, jitteredPoll());
      }
    }
  }

  private void execute(ClaimedTask claimed) {
    Task task = claimed.task();
    String orchestratorName = task.orchestrator();
    String metricName = orchestrators.knows(orchestratorName) ? orchestratorName : "unknown";
    metrics.claimed(metricName, Duration.between(task.runAfter(), task.startedAt()));
    metrics.busySlots().incrementAndGet();
    LeaseKeeper.Running running = leases.track(task);
    MDC.put("pod_id", config.podId());
    MDC.put("proc_inst_id", task.procInstId().toString());
    MDC.put("task_id", Long.toString(task.id()));
    Instant started = Instant.now();
    Optional<TaskOutcome> outcome = Optional.of(TaskOutcome.STALE);
    try {
      outcome = runAndRecord(claimed, running, metricName, started);
    } finally {
      metrics.busySlots().decrementAndGet();
      if (outcome.isPresent()) { // else the completer records it
        leases.untrack(running);
        metrics.finished(metricName, outcome.get(), Duration.between(started, Instant.now()));
        log.debug(
            "[pod {}] task {} ({}) ended {}",
            config.podId(),
            task.id(),
            task.activityId(),
            outcome.get());
      }
      MDC.clear();
    }
  }

  /**
   * Runs the task and records how it ended. Empty when it completed: its completion was handed to
   * the {@link Completer}, which records it with others while this slot claims its next task.
   */
  private Optional<TaskOutcome> runAndRecord(
      ClaimedTask claimed, LeaseKeeper.Running running, String metricName, Instant started) {
    Task task = claimed.task();
    Optional<Orchestrator> orchestrator = orchestrators.find(task.orchestrator());
    if (orchestrator.isEmpty()) {
      String error =
          "unknown orchestrator '"
              + task.orchestrator()
              + "' in activity '"
              + task.activityId()
              + "'; this pod runs: "
              + orchestrators.names();
      log.error("[pod {}] task {}: {}", config.podId(), task.id(), error);
      return Optional.of(
          record(
              running,
              () -> engine.failures().fail(task, error, false, claimed.activity().backoff())));
    }
    JsonNode output;
    TaskDeadlines.Deadline deadline =
        deadlines.arm(Duration.ofSeconds(claimed.activity().timeoutSeconds()));
    try {
      output = orchestrator.get().run(new TaskContext(claimed, config.podId(), pod.taskRecorder()));
    } catch (TaskSuspension suspension) {
      log.debug(
          "[pod {}] task {} ({}) {}",
          config.podId(),
          task.id(),
          task.activityId(),
          suspension.getMessage());
      return Optional.of(record(running, () -> suspend(claimed, suspension)));
    } catch (TaskFailedException e) {
      return Optional.of(
          record(
              running,
              () ->
                  engine
                      .failures()
                      .fail(task, e.getMessage(), e.retryable(), claimed.activity().backoff())));
    } catch (InterruptedException e) {
      return Optional.of(interrupted(claimed, running, deadline));
    } catch (Exception e) {
      if (running.lost() || deadline.expired() || Thread.currentThread().isInterrupted()) {
        return Optional.of(interrupted(claimed, running, deadline));
      }
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.warn("[pod {}] task {} failed: {}", config.podId(), task.id(), error);
      return Optional.of(
          record(
              running,
              () -> engine.failures().fail(task, error, true, claimed.activity().backoff())));
    } finally {
      deadline.disarm();
    }
    if (output == null) {
      return Optional.of(
          record(
              running,
              () ->
                  engine
                      .failures()
                      .fail(
                          task,
                          "orchestrator '" + task.orchestrator() + "' returned no output",
                          false,
                          claimed.activity().backoff())));
    }
    completer.handOver(
        new Completer.Finished(
            running, output, metricName, Duration.between(started, Instant.now())));
    return Optional.empty();
  }

  private TaskOutcome suspend(ClaimedTask claimed, TaskSuspension suspension) {
    Task task = claimed.task();
    return switch (suspension) {
      case ParkTask park -> engine.suspensions().park(task, park.assignee(), park.form());
      case AskPerson ask ->
          engine
              .suspensions()
              .askPerson(task, ask.waitingFor(), ask.assignee(), ask.form(), ask.state());
      case AwaitChildren children ->
          engine.suspensions().spawnChildren(task, children.state(), children.childInputs());
      case PollLater poll ->
          engine.suspensions().pollLater(task, poll.state(), poll.delay(), poll.wakeToken());
      case StartSubprocess sub -> {
        try {
          yield engine
              .suspensions()
              .startSubprocess(task, sub.definitionId(), sub.version(), sub.input());
        } catch (DefinitionNotFoundException | InvalidProcessInputException e) {
          yield engine
              .failures()
              .fail(
                  task,
                  "cannot start the sub-process: " + e.getMessage(),
                  false,
                  claimed.activity().backoff());
        }
      }
    };
  }

  /**
   * Interrupted: the claim was lost or cancelled (write nothing), the activity's timeout passed (a
   * failed attempt), or the pod is stopping (hand the task back without counting the attempt).
   */
  private TaskOutcome interrupted(
      ClaimedTask claimed, LeaseKeeper.Running running, TaskDeadlines.Deadline deadline) {
    Thread.interrupted();
    if (running.lost()) return TaskOutcome.STALE;
    if (deadline.expired()) {
      String error =
          "timed out after "
              + deadline.timeout().toSeconds()
              + " s (the activity's timeoutSeconds)";
      log.warn("[pod {}] task {} {}", config.podId(), claimed.task().id(), error);
      return record(
          running,
          () -> engine.failures().fail(claimed.task(), error, true, claimed.activity().backoff()));
    }
    return record(
        running,
        () -> engine.queue().release(running.task, "pod " + config.podId() + " is shutting down"));
  }

  private TaskOutcome record(LeaseKeeper.Running running, Supplier<TaskOutcome> write) {
    return writer.write(running, write);
  }

  private Duration jitteredPoll() {
    long base = config.pollInterval().toMillis();
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base + 1));
  }
}
