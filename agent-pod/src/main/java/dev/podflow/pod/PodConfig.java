package dev.podflow.pod;

import dev.podflow.store.InvalidConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a pod behaves. Validated on construction; read from the environment only by the launcher.
 *
 * @param podId names the pod in {@code claimed_by}, events and logs
 * @param slots how many tasks it runs at once
 * @param lease how long a claim lasts without a heartbeat
 * @param pollInterval the fallback poll when no NOTIFY arrives (jittered ±50%)
 * @param rescueInterval how often the cluster looks for expired leases (one pod per interval)
 * @param shutdownGrace how long a stopping pod lets running tasks finish before handing them back
 * @param retention how long finished instances are kept before pruning; zero keeps them forever
 * @param pruneInterval how often the cluster prunes (one pod per interval)
 * @param queueVacuumDeadRows how many dead rows {@code todolist} may hold before a pod VACUUMs it
 *     (see {@link QueueVacuum}); zero leaves it to autovacuum
 * @param listen whether the pod LISTENs for wake-ups and cancellations (true in production; false
 *     only to measure poll-only pick-up in the benchmark harness)
 * @param orchestrators the orchestrators whose tasks the pod claims ({@code
 *     PODFLOW_POD_ORCHESTRATORS}); empty (the default) for every orchestrator it has, when it
 *     claims any task and fails those it cannot run
 * @param settings the environment the pod was started with, handed to its orchestrators ({@link
 *     dev.podflow.engine.orchestrator.PodServices}) to read their own settings from (e.g. {@code
 *     PODFLOW_LLM_*}); empty by default
 */
public record PodConfig(
    String podId,
    int slots,
    Duration lease,
    Duration pollInterval,
    Duration rescueInterval,
    Duration shutdownGrace,
    Duration retention,
    Duration pruneInterval,
    long queueVacuumDeadRows,
    boolean listen,
    Set<String> orchestrators,
    Map<String, String> settings) {

  public static final int DEFAULT_SLOTS = 1;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RESCUE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofMinutes(1);
  public static final long DEFAULT_QUEUE_VACUUM_DEAD_ROWS = 10_000;

  /** How often, across the cluster, a pod checks whether {@code todolist} needs a VACUUM. */
  public static final Duration QUEUE_VACUUM_CHECK_INTERVAL = Duration.ofSeconds(2);

  public PodConfig {
    if (podId == null || podId.isBlank() || podId.length() > 200) {
      throw new InvalidConfigurationException(
          "pod id must be 1 to 200 characters, got '" + podId + "'");
    }
    if (slots < 1 || slots > 256) {
      throw new InvalidConfigurationException(
          "PODFLOW_POD_SLOTS must be from 1 to 256, got " + slots);
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidConfigurationException(
          "PODFLOW_LEASE_SECONDS must be at least 1, got " + lease.toSeconds());
    }
    requirePositive(pollInterval, "poll interval");
    requirePositive(rescueInterval, "rescue interval");
    requirePositive(pruneInterval, "prune interval");
    if (shutdownGrace.isNegative()) {
      throw new InvalidConfigurationException(
          "PODFLOW_SHUTDOWN_GRACE_SECONDS must not be negative");
    }
    if (retention.isNegative()) {
      throw new InvalidConfigurationException("PODFLOW_RETENTION_DAYS must not be negative");
    }
    if (queueVacuumDeadRows < 0) {
      throw new InvalidConfigurationException(
          "PODFLOW_QUEUE_VACUUM_DEAD_ROWS must not be negative, got " + queueVacuumDeadRows);
    }
    orchestrators = Set.copyOf(orchestrators);
    settings = Map.copyOf(settings);
  }

  /** Defaults for everything but the id. */
  public static PodConfig defaults(String podId) {
    return new PodConfig(
        podId,
        DEFAULT_SLOTS,
        DEFAULT_LEASE,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_RESCUE_INTERVAL,
        DEFAULT_SHUTDOWN_GRACE,
        DEFAULT_RETENTION,
        DEFAULT_PRUNE_INTERVAL,
        DEFAULT_QUEUE_VACUUM_DEAD_ROWS,
        true,
        Set.of(),
        Map.of());
  }

  public PodConfig withPodId(String id) {
    return with(draft -> draft.podId = id);
  }

  public PodConfig withSlots(int n) {
    return with(draft -> draft.slots = n);
  }

  public PodConfig withLease(Duration lease) {
    return with(draft -> draft.lease = lease);
  }

  public PodConfig withPollInterval(Duration pollInterval) {
    return with(draft -> draft.pollInterval = pollInterval);
  }

  public PodConfig withRescueInterval(Duration rescueInterval) {
    return with(draft -> draft.rescueInterval = rescueInterval);
  }

  public PodConfig withShutdownGrace(Duration shutdownGrace) {
    return with(draft -> draft.shutdownGrace = shutdownGrace);
  }

  public PodConfig withRetention(Duration retention) {
    return with(draft -> draft.retention = retention);
  }

  public PodConfig withQueueVacuumDeadRows(long rows) {
    return with(draft -> draft.queueVacuumDeadRows = rows);
  }

  /** Poll-only (no LISTEN): for the benchmark's comparison, never for production. */
  public PodConfig withListen(boolean on) {
    return with(draft -> draft.listen = on);
  }

  /**
   * A pod that claims only tasks of these orchestrators; empty for all ({@link #orchestrators}).
   */
  public PodConfig withOrchestrators(Set<String> names) {
    return with(draft -> draft.orchestrators = names);
  }

  /** The settings the pod's orchestrators read theirs from ({@link #settings()}). */
  public PodConfig withSettings(Map<String, String> variables) {
    return with(draft -> draft.settings = variables);
  }

  /** This config with what {@code change} sets changed, validated again. */
  private PodConfig with(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** A config's settings while a with-method changes one of them. */
  private static final class Draft {
    String podId;
    int slots;
    Duration lease;
    Duration pollInterval;
    Duration rescueInterval;
    Duration shutdownGrace;
    Duration retention;
    Duration pruneInterval;
    long queueVacuumDeadRows;
    boolean listen;
    Set<String> orchestrators;
    Map<String, String> settings;

    Draft(PodConfig c) {
      podId = c.podId;
      slots = c.slots;
      lease = c.lease;
      pollInterval = c.pollInterval;
      rescueInterval = c.rescueInterval;
      shutdownGrace = c.shutdownGrace;
      retention = c.retention;
      pruneInterval = c.pruneInterval;
      queueVacuumDeadRows = c.queueVacuumDeadRows;
      listen = c.listen;
      orchestrators = c.orchestrators;
      settings = c.settings;
    }

    PodConfig build() {
      return new PodConfig(
          podId,
          slots,
          lease,
          pollInterval,
          rescueInterval,
          shutdownGrace,
          retention,
          pruneInterval,
          queueVacuumDeadRows,
          listen,
          orchestrators,
          settings);
    }
  }

  /** Heartbeats renew the lease three times per lease period, so one missed beat is harmless. */
  public Duration heartbeatInterval() {
    return lease.dividedBy(3);
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new InvalidConfigurationException(what + " must be positive, got " + d);
    }
  }
}
