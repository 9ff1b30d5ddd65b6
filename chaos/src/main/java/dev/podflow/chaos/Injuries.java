package dev.podflow.chaos;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The fault injection schedule of a run: a pod SIGKILLed and replaced every {@code --kill-every}
 * ({@link PodFleet}), every other backend terminated every {@code --terminate-every} and PostgreSQL
 * crashed or restarted every {@code --restart-every} ({@link ChaosPostgres}). One thread makes
 * them, so one injury is made at a time; it counts the terminations and restarts it made (the fleet
 * counts its kills). An injury that fails is reported and tried again at its next turn; PostgreSQL
 * that does not come back after a restart aborts the run, and no injury is made once it is aborted.
 */
final class Injuries {
  private final ChaosOptions options;
  private final ChaosPostgres postgres;
  private final PodFleet fleet;
  private final Consumer<String> say;
  private final Consumer<String> abort;
  private final BooleanSupplier aborted;
  private final AtomicInteger terminations = new AtomicInteger();
  private final AtomicLong backendsTerminated = new AtomicLong();
  private final AtomicInteger restarts = new AtomicInteger();
  private final ScheduledExecutorService injector =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("chaos-injector").factory());

  Injuries(
      ChaosOptions options,
      ChaosPostgres postgres,
      PodFleet fleet,
      Consumer<String> say,
      Consumer<String> abort,
      BooleanSupplier aborted) {
    this.options = options;
    this.postgres = postgres;
    this.fleet = fleet;
    this.say = say;
    this.abort = abort;
    this.aborted = aborted;
  }

  /** The schedule as the run's first line states it: what is made how often. */
  static String describe(ChaosOptions options) {
    return "kill every "
        + every(options.killEvery())
        + ", terminate backends every "
        + every(options.terminateEvery())
        + ", restart PostgreSQL every "
        + (options.restarts()
            ? every(options.restartEvery()) + " (" + options.restartMode() + ")"
            : "never");
  }

  /** Schedules every injury that is on, each first due one interval from now. */
  void start(Random random) {
    if (!options.killEvery().isZero()) {
      every(options.killEvery(), () -> say.accept("kill: " + fleet.killRandomAndReplace(random)));
    }
    if (!options.terminateEvery().isZero()) {
      every(
          options.terminateEvery(),
          () -> {
            int n = postgres.terminateBackends();
            terminations.incrementAndGet();
            backendsTerminated.addAndGet(n);
            say.accept("pg_terminate_backend: " + n + " backends terminated");
          });
    }
    if (options.restarts()) {
      every(
          options.restartEvery(),
          () -> {
            long t0 = System.nanoTime();
            try {
              postgres.restart(options.pgDowntime());
            } catch (Exception e) {
              abort.accept("PostgreSQL did not come back after a restart: " + e.getMessage());
              throw e;
            }
            restarts.incrementAndGet();
            say.accept(
                "PostgreSQL restarted ("
                    + options.restartMode()
                    + "), down for "
                    + (System.nanoTime() - t0) / 1_000_000
                    + " ms");
          });
    } else if (!options.restartEvery().isZero()) {
      say.accept("PostgreSQL restarts skipped: --database-url without --restart-command");
    }
  }

  /** Makes no more injuries and waits for the one in progress; false if it outlasts the timeout. */
  boolean stop(Duration timeout) throws InterruptedException {
    injector.shutdown();
    return injector.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@code pg_terminate_backend} rounds made. */
  int terminations() {
    return terminations.get();
  }

  /** Backends terminated over all rounds. */
  long backendsTerminated() {
    return backendsTerminated.get();
  }

  /** PostgreSQL restarts that came back. */
  int restarts() {
    return restarts.get();
  }

  private void every(Duration interval, Injury injury) {
    injector.scheduleAtFixedRate(
        () -> {
          if (aborted.getAsBoolean()) return;
          try {
            injury.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            say.accept("injury failed: " + e);
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String every(Duration d) {
    if (d.isZero()) return "never";
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  @FunctionalInterface
  private interface Injury {
    void run() throws Exception;
  }
}
