package dev.podflow.pod;

import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.engine.orchestrator.PodComponents;
import dev.podflow.engine.orchestrator.PodServices;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.queue.TaskQueue;
import dev.podflow.engine.queue.TaskRecorder;
import dev.podflow.store.Database;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Notifier;
import dev.podflow.store.notify.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent pod: {@link PodConfig#slots()} worker threads that claim (together, see {@link Claimer})
 * and run tasks (of every orchestrator, or of {@link PodConfig#orchestrators()} only), a {@link
 * Completer} that records their completions in batches, a LISTEN session that wakes them, a
 * heartbeat that keeps their leases, and its share of the cluster's upkeep (rescuing other pods'
 * expired leases, pruning, vacuuming the queue table). Start once, stop once.
 *
 * <p>{@link #stop()} stops claiming, lets running tasks finish within the shutdown grace, then
 * interrupts them (an interrupted task is handed back to the queue without counting the attempt),
 * and records every completion handed to the completer before it returns.
 */
public final class AgentPod implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentPod.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  /**
   * What a pod notifies: wake-ups, cancels and notifications waiting for the notifiers. The events
   * of its tasks reach the API's event streams through the API's event feed, which reads them from
   * the table, not through a NOTIFY per pod: every NOTIFY wakes every listening session of the
   * database, so one per pod every few milliseconds made each pod added slow all the others down
   * (README, Performance).
   */
  public static final Set<Channel> NOTIFIED_CHANNELS =
      EnumSet.of(Channel.TASKS, Channel.CANCEL, Channel.NOTIFICATIONS);

  private final PodConfig config;
  private final Database database;
  private final Notifier notifier;
  private final Engine engine;
  private final OrchestratorRegistry orchestrators;

  /** What the orchestrators share (MCP connections); closed once the slots have ended. */
  private final PodComponents components = new PodComponents();

  private final MeterRegistry meterRegistry;
  private final WakeSignal wake = new WakeSignal();
  private final PodMetrics metrics;
  private final TaskWakeups wakeups;
  private final LeaseKeeper leases;
  private final LeaseRescuer rescuer;
  private final Pruner pruner;
  private final CleanupWorker cleanups;
  private final QueueVacuum queueVacuum;
  private final TaskDeadlines deadlines;
  private final OutcomeWriter writer;
  private final Claimer claimer;
  private final Completer completer;
  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean claiming;
  private volatile boolean started;

  public AgentPod(
      PodConfig config,
      Database database,
      OrchestratorRegistry orchestrators,
      MeterRegistry registry) {
    this.config = config;
    this.database = database;
    this.orchestrators = runnable(orchestrators, config);
    this.notifier = Notifier.async(database.jdbi(), config.podId(), NOTIFIED_CHANNELS);
    this.engine =
        new Engine(
            database.jdbi(), new DefinitionCatalog(database.jdbi(), this.orchestrators), notifier);
    this.meterRegistry = registry;
    this.metrics = new PodMetrics(registry, config.podId(), config.slots(), wake::idle);
    this.leases =
        new LeaseKeeper(
            engine.queue(), config.lease(), config.heartbeatInterval(), metrics, config.podId());
    this.wakeups = new TaskWakeups(database, wake, leases::cancelled, config.podId());
    this.deadlines = new TaskDeadlines(config.podId());
    this.writer = new OutcomeWriter(config.podId(), config.lease(), metrics);
    TaskQueue claims =
        config.orchestrators().isEmpty()
            ? engine.queue()
            : engine.queue().claimingOnly(config.orchestrators());
    this.claimer =
        new Claimer(claims, config.podId(), config.lease(), config.slots(), wake::signalAll);
    this.completer = new Completer(engine.completions(), leases, writer, metrics, config.podId());
    ClusterSchedule schedule = new ClusterSchedule(database.jdbi(), config.podId());
    this.rescuer =
        new LeaseRescuer(
            engine.queue(), schedule, config.rescueInterval(), metrics, config.podId());
    this.pruner = new Pruner(database.jdbi(), schedule, config, metrics);
    this.cleanups = new CleanupWorker(database.jdbi(), this.orchestrators, config.podId());
    this.queueVacuum = new QueueVacuum(database, schedule, config, metrics);
  }

  /**
   * The orchestrators the pod runs: those {@link PodConfig#orchestrators()} names, else all it has.
   *
   * @throws InvalidConfigurationException for a name it does not have, with those it has
   */
  private static OrchestratorRegistry runnable(OrchestratorRegistry all, PodConfig config) {
    for (String name : new TreeSet<>(config.orchestrators())) {
      if (!all.knows(name)) {
        throw new InvalidConfigurationException(
            "PODFLOW_POD_ORCHESTRATORS names unknown orchestrator '"
                + name
                + "'; this pod has: "
                + all.names());
      }
    }
    return config.orchestrators().isEmpty() ? all : all.only(config.orchestrators());
  }

  /**
   * Starts the pod's orchestrators ({@link dev.podflow.engine.orchestrator.Orchestrator#start}),
   * then its slots and services.
   *
   * @throws dev.podflow.store.InvalidConfigurationException when an orchestrator refuses its
   *     settings; nothing was started
   */
  public synchronized AgentPod start() {
    if (started) throw new IllegalStateException("pod " + config.podId() + " was already started");
    orchestrators.start(
        new PodServices(
            config.podId(),
            database.jdbi(),
            meterRegistry,
            Clock.systemUTC(),
            config.settings(),
            components));
    started = true;
    claiming = true;
    if (config.listen()) wakeups.start();
    leases.start();
    completer.start();
    rescuer.start();
    pruner.start();
    cleanups.start();
    queueVacuum.start();
    for (int i = 0; i < config.slots(); i++) {
      TaskSlot slot =
          new TaskSlot(
              this,
              config,
              engine,
              orchestrators,
              leases,
              wake,
              metrics,
              deadlines,
              writer,
              claimer,
              completer);
      slots.add(Thread.ofPlatform().name("podflow-slot-" + config.podId() + "-" + i).start(slot));
    }
    log.info(
        "[pod {}] started: {} slot(s), lease {}s, orchestrators [{}]",
        config.podId(),
        config.slots(),
        config.lease().toSeconds(),
        orchestrators.names());
    return this;
  }

  /** Stops claiming, waits up to the shutdown grace for running tasks, hands back the rest. */
  public synchronized void stop() {
    if (!claiming) return;
    claiming = false;
    wake.stop();
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    for (Thread slot : slots) {
      join(slot, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
    }
    List<Thread> stillRunning = slots.stream().filter(Thread::isAlive).toList();
    if (!stillRunning.isEmpty()) {
      log.info(
          "[pod {}] shutdown grace of {}s is over; handing {} running task(s) back",
          config.podId(),
          config.shutdownGrace().toSeconds(),
          stillRunning.size());
      stillRunning.forEach(Thread::interrupt);
      // The hand-back write may wait for the database; the lease bounds how long it is worth
      // trying.
      stillRunning.forEach(t -> join(t, config.lease().toMillis()));
    }
    handBackLeftovers();
    // Completions handed over but not yet committed; their leases are renewed until then.
    completer.close();
    leases.stop();
    rescuer.stop();
    pruner.stop();
    cleanups.stop();
    queueVacuum.stop();
    deadlines.close();
    components.close();
    notifier.close();
    wakeups.stop();
    log.info("[pod {}] stopped", config.podId());
  }

  @Override
  public void close() {
    stop();
  }

  /** Tasks a claim brought for slots that stopped before they took them go back to the queue. */
  private void handBackLeftovers() {
    for (ClaimedTask left : claimer.takeLeftovers()) {
      try {
        engine.queue().release(left.task(), "pod " + config.podId() + " is shutting down");
      } catch (RuntimeException e) {
        log.warn(
            "[pod {}] could not hand back task {} ({}); it runs again when its lease expires",
            config.podId(),
            left.task().id(),
            e.getMessage());
      }
    }
  }

  TaskRecorder taskRecorder() {
    return engine.taskRecorder();
  }

  boolean isClaiming() {
    return claiming;
  }

  /** True while the pod's LISTEN session is up and has woken its slots once. */
  boolean isListening() {
    return wakeups.isListening();
  }

  public String podId() {
    return config.podId();
  }

  /** True while the pod claims work and its database answers; for readiness probes. */
  public boolean isReady() {
    return claiming && database.isReachable(READY_TIMEOUT);
  }

  /** True while every slot thread is alive; for liveness probes. */
  public boolean isAlive() {
    return !started
        || !claiming
        || (slots.stream().allMatch(Thread::isAlive) && completer.isAlive());
  }

  /**
   * True while {@link #stop} waits for the completer to record what was handed to it; for tests.
   */
  boolean isRecordingLastCompletions() {
    return completer.isClosing();
  }

  /** Runs one heartbeat now, for tests; returns how many claims were found lost. */
  int heartbeatOnce() {
    return leases.renewAll();
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
