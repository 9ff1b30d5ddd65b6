package dev.podflow.api;

import dev.podflow.store.task.QueueDepth;
import dev.podflow.store.task.TaskDao;
import dev.podflow.store.task.TaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code podflow_queue_depth{orchestrator,status}}, the unfinished tasks per orchestrator
 * and status, and {@code podflow_queue_oldest_pending_age_seconds}, how long the longest-waiting
 * due task has waited, refreshed on a background thread: what the HPA and the dashboard scale and
 * alert on. The API samples them, not the pods, so the queue is read once per API replica whatever
 * the number of pods (every replica reads the same values: aggregate with {@code max}).
 *
 * <p>Every orchestrator the API knows (those its definitions may name), and any other once seen in
 * the queue, has a series for every unfinished status, reading 0 when empty: an empty or drained
 * queue must read as 0 rather than vanish, or an autoscaler reading "no data" would hold its last
 * value and a dashboard panel would say "No data" after every restart. A failed refresh is logged
 * and leaves the last values standing.
 */
final class QueueDepthGauge implements AutoCloseable {
  static final String NAME = "podflow.queue.depth";
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(QueueDepthGauge.class);
  private static final List<TaskStatus> UNFINISHED =
      Arrays.stream(TaskStatus.values()).filter(s -> !s.isFinished()).toList();

  private final Jdbi jdbi;
  private final MultiGauge gauge;
  private final AtomicLong oldestPendingAgeMillis = new AtomicLong();
  private final Set<String> orchestrators = new ConcurrentSkipListSet<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("podflow-api-queue-depth").daemon().factory());

  QueueDepthGauge(Jdbi jdbi, MeterRegistry registry, Collection<String> knownOrchestrators) {
    this.jdbi = jdbi;
    this.orchestrators.addAll(knownOrchestrators);
    this.gauge =
        MultiGauge.builder(NAME)
            .description("Unfinished tasks in the todolist queue by orchestrator and status")
            .register(registry);
    Gauge.builder("podflow.queue.oldest.pending.age", oldestPendingAgeMillis, a -> a.get() / 1000.0)
        .description("How long the longest-waiting due task (PENDING or FAILED) has waited")
        .baseUnit("seconds")
        .register(registry);
  }

  void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(
        this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the queue once and publishes it; returns how many series were published. */
  int refresh() {
    List<QueueDepth> depths = jdbi.withExtension(TaskDao.class, TaskDao::taskCountQueueDepth);
    double oldest = jdbi.withExtension(TaskDao.class, TaskDao::taskOldestPendingAgeSeconds);
    oldestPendingAgeMillis.set(Math.round(oldest * 1000));
    Map<String, Map<TaskStatus, Long>> byOrchestrator = new TreeMap<>();
    for (QueueDepth depth : depths) {
      orchestrators.add(depth.orchestrator());
      byOrchestrator
          .computeIfAbsent(depth.orchestrator(), o -> new EnumMap<>(TaskStatus.class))
          .merge(depth.status(), depth.tasks(), Long::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (String orchestrator : orchestrators) {
      Map<TaskStatus, Long> counts = byOrchestrator.getOrDefault(orchestrator, Map.of());
      for (TaskStatus status : UNFINISHED) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of("orchestrator", orchestrator, "status", status.name()),
                counts.getOrDefault(status, 0L)));
      }
    }
    gauge.register(rows, true);
    return rows.size();
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("execution-api - queue depth refresh failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
