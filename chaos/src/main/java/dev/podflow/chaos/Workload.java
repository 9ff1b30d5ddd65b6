package dev.podflow.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.Engine;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.instance.IdempotencyKeyReusedException;
import dev.podflow.engine.instance.ProcessStarter;
import dev.podflow.engine.instance.StartCommand;
import dev.podflow.engine.instance.StartResult;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The steady stream of processes: {@code rate} starts per second through {@link ProcessStarter},
 * each with its own Idempotency-Key. A start that fails (the database is down, its backend was
 * terminated) is retried with the same key and the same input, so a start whose commit went through
 * but whose answer was lost is answered by the existing instance, never duplicated. Only answered
 * starts count as acknowledged.
 */
final class Workload {
  /** The activities of the work definition: noop, sleep 50 ms, noop. */
  static final int WORK_ACTIVITIES = 3;

  static final int MAX_ATTEMPTS = 10;
  private static final int MAX_IN_FLIGHT = 1_000;
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

  /** An acknowledged start. */
  record Acked(UUID instanceId, boolean poison) {}

  private final ProcessStarter starter;
  private final String runId;
  private final String workDefinition;
  private final String poisonDefinition;
  private final double rate;
  private final double poisonShare;
  private final Random random;
  private final Consumer<String> say;
  private final Map<String, Acked> acked = new ConcurrentHashMap<>();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();
  private final AtomicLong unacknowledged = new AtomicLong();
  private final AtomicLong keyConflicts = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean pacing;
  private Thread pacer;

  Workload(
      Jdbi jdbi,
      String runId,
      double rate,
      double poisonShare,
      Random random,
      Consumer<String> say) {
    this.starter = Engine.inline(jdbi, OrchestratorRegistry.discover()).starter();
    this.runId = runId;
    this.workDefinition = "chaos-" + runId + "-work";
    this.poisonDefinition = "chaos-" + runId + "-poison";
    this.rate = rate;
    this.poisonShare = poisonShare;
    this.random = random;
    this.say = say;
  }

  /** Publishes the two definitions of this run in the tenant its starts use. */
  void publishDefinitions(Jdbi jdbi) {
    DefinitionCatalog catalog = new DefinitionCatalog(jdbi, OrchestratorRegistry.discover());
    ObjectNode work =
        Json.object().put("id", workDefinition).put("name", "Chaos work of run " + runId);
    var activities = work.putArray("activities");
    activities
        .addObject()
        .put("id", "check")
        .put("orchestrator", "noop")
        .put("maxAttempts", MAX_ATTEMPTS);
    activities
        .addObject()
        .put("id", "wait")
        .put("orchestrator", "sleep")
        .put("maxAttempts", MAX_ATTEMPTS)
        .putObject("config")
        .put("ms", 50);
    activities
        .addObject()
        .put("id", "finish")
        .put("orchestrator", "noop")
        .put("maxAttempts", MAX_ATTEMPTS);
    catalog.publish(StartCommand.DEFAULT_TENANT, "chaos", work);
    ObjectNode poison =
        Json.object().put("id", poisonDefinition).put("name", "Chaos poison of run " + runId);
    poison
        .putArray("activities")
        .addObject()
        .put("id", "poisoned")
        .put("orchestrator", "fail")
        .put("maxAttempts", MAX_ATTEMPTS)
        .putObject("config")
        .put("message", "poison of the chaos run, failing by design");
    catalog.publish(StartCommand.DEFAULT_TENANT, "chaos", poison);
  }

  String workDefinition() {
    return workDefinition;
  }

  String poisonDefinition() {
    return poisonDefinition;
  }

  /** Starts pacing: {@code rate} starts per second until {@link #stopPacing()}. */
  void startPacing() {
    pacing = true;
    pacer = Thread.ofPlatform().daemon().name("chaos-workload-pacer").start(this::pace);
  }

  private void pace() {
    long period = Math.max(1, Math.round(1_000_000_000L / rate));
    long next = System.nanoTime();
    while (pacing) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (!pacing) return;
      try {
        if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
          next = System.nanoTime(); // saturated: slow down instead of piling up
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      boolean poison = random.nextDouble() < poisonShare;
      String key = "chaos-" + runId + "-" + sequence.incrementAndGet();
      issued.incrementAndGet();
      Thread.ofVirtual().name("chaos-start-" + key).start(() -> startWithRetries(key, poison));
      next += period;
      if (System.nanoTime() - next > 1_000_000_000L) next = System.nanoTime(); // no catch-up burst
    }
  }

  /** Stops pacing and waits for starts still retrying; returns false on timeout. */
  boolean stopPacing(Duration timeout) throws InterruptedException {
    pacing = false;
    if (pacer != null) {
      pacer.interrupt();
      pacer.join(5_000);
    }
    if (inFlight.tryAcquire(MAX_IN_FLIGHT, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.release(MAX_IN_FLIGHT);
      return true;
    }
    return false;
  }

  private void startWithRetries(String key, boolean poison) {
    try {
      JsonNode input = Json.object().put("key", key);
      StartCommand command =
          new StartCommand(
              poison ? poisonDefinition : workDefinition,
              input,
              key,
              "chaos-harness",
              StartCommand.DEFAULT_TENANT,
              null);
      long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
      long pause = 100;
      boolean failedBefore = false;
      while (true) {
        try {
          StartResult result = starter.start(command);
          acked.put(key, new Acked(result.instance().id(), poison));
          if (!result.created()) {
            replays.incrementAndGet();
            if (!failedBefore) {
              // the first try found an instance: something started this key before us
              keyConflicts.incrementAndGet();
              say.accept("key " + key + " already had an instance on its first start");
            }
          }
          return;
        } catch (IdempotencyKeyReusedException e) {
          keyConflicts.incrementAndGet();
          say.accept("start " + key + " was refused as a key reuse: " + e.getMessage());
          return;
        } catch (RuntimeException e) {
          failedBefore = true;
          failedAttempts.incrementAndGet();
          if (System.nanoTime() > giveUp) {
            unacknowledged.incrementAndGet();
            say.accept("gave up starting " + key + ": " + e.getMessage());
            return;
          }
          try {
            Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause));
          } catch (InterruptedException ie) {
            unacknowledged.incrementAndGet();
            return;
          }
          pause = Math.min(2_000, pause * 2);
        }
      }
    } finally {
      inFlight.release();
    }
  }

  Map<String, Acked> acked() {
    return Map.copyOf(acked);
  }

  long ackedCount() {
    return acked.size();
  }

  long issued() {
    return issued.get();
  }

  long inFlight() {
    return MAX_IN_FLIGHT - inFlight.availablePermits();
  }

  long failedAttempts() {
    return failedAttempts.get();
  }

  /** Starts whose answer was lost and whose retry found the instance the first try committed. */
  long replays() {
    return replays.get();
  }

  long unacknowledged() {
    return unacknowledged.get();
  }

  /** Keys refused or answered by a different request's instance: a harness or engine bug. */
  long keyConflicts() {
    return keyConflicts.get();
  }
}
