package dev.podflow.pod;

import dev.podflow.engine.queue.RescueResult;
import dev.podflow.engine.queue.TaskQueue;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns tasks whose lease expired (their pod died, hung or lost the network) to the queue, or to
 * DEAD when out of attempts. Runs in every pod, once per interval across the cluster ({@link
 * ClusterSchedule}); an advisory lock keeps passes from overlapping.
 */
final class LeaseRescuer {
  static final int BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(LeaseRescuer.class);

  private final TaskQueue queue;
  private final ClusterSchedule schedule;
  private final Duration interval;
  private final PodMetrics metrics;
  private final String podId;
  private PeriodicTask loop;

  LeaseRescuer(
      TaskQueue queue,
      ClusterSchedule schedule,
      Duration interval,
      PodMetrics metrics,
      String podId) {
    this.queue = queue;
    this.schedule = schedule;
    this.interval = interval;
    this.metrics = metrics;
    this.podId = podId;
  }

  void start() {
    // A random first delay keeps pods started together from all rescuing at the same moment.
    Duration firstDelay =
        Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis())));
    loop = PeriodicTask.start("podflow-rescuer-" + podId, firstDelay, interval, this::runSafely);
  }

  void stop() {
    if (loop != null) loop.stop();
  }

  /** One pass: rescues expired leases in batches until none are left; returns the totals. */
  RescueResult runOnce() {
    int requeued = 0;
    int dead = 0;
    while (true) {
      RescueResult batch = queue.rescueExpired(BATCH);
      if (batch.skipped()) return new RescueResult(requeued, dead, requeued + dead == 0);
      requeued += batch.requeued();
      dead += batch.dead();
      if (batch.total() < BATCH) return new RescueResult(requeued, dead, false);
    }
  }

  private void runSafely() {
    try {
      if (!schedule.claim("lease-rescuer", interval)) return;
      RescueResult result = runOnce();
      if (result.total() > 0) {
        metrics.rescued(result.requeued(), result.dead());
        log.info(
            "[pod {}] rescued {} task(s) with expired leases: {} requeued, {} dead",
            podId,
            result.total(),
            result.requeued(),
            result.dead());
      }
    } catch (RuntimeException e) {
      metrics.databaseError("rescue");
      log.warn("[pod {}] lease rescue failed: {}", podId, e.getMessage());
    }
  }
}
