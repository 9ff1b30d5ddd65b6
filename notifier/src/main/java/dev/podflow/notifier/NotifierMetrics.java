package dev.podflow.notifier;

import dev.podflow.store.notification.OutboxDepth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notifier's meters, designed with a small fixed tag set:
 *
 * <ul>
 *   <li>{@code podflow_notifications_sent_total{channel,outcome}}: every recorded outcome — {@code
 *       sent}, {@code retry}, {@code failed}, {@code retired}, {@code lease_lost} (another notifier
 *       had taken the delivery over; nothing recorded) — and {@code undeliverable} notifications
 *       (channel {@code none});
 *   <li>{@code podflow_notification_delivery_seconds{channel}} (a histogram): from the
 *       notification's creation to its delivery's recorded send;
 *   <li>{@code podflow_notifications_outbox_depth} and {@code
 *       podflow_notifications_outbox_oldest_age_seconds}: unfinished notifications, sampled by the
 *       notifier's loop, not counted per row;
 *   <li>{@code podflow_notifier_errors_total}: passes that failed (the database went away).
 * </ul>
 *
 * Thread-safe.
 */
public final class NotifierMetrics {
  private final MeterRegistry registry;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestAgeMillis = new AtomicLong();

  public NotifierMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("podflow.notifications.outbox.depth", depth, AtomicLong::get)
        .description("notifications not finished yet (PENDING or DELIVERING), sampled")
        .register(registry);
    Gauge.builder("podflow.notifications.outbox.oldest.age", oldestAgeMillis, a -> a.get() / 1000.0)
        .description("age of the oldest unfinished notification, sampled")
        .baseUnit("seconds")
        .register(registry);
    errors(); // at zero: a healthy notifier's error panel reads 0, not "No data"
  }

  void recorded(String channel, String outcome, int count) {
    if (count == 0) return;
    Counter.builder("podflow.notifications.sent")
        .description("delivery outcomes recorded by the notifier")
        .tag("channel", channel)
        .tag("outcome", outcome)
        .register(registry)
        .increment(count);
  }

  void delivered(String channel, Instant createdAt, Instant sentAt) {
    Timer.builder("podflow.notification.delivery")
        .description("from a notification's creation to its delivery's recorded send")
        .tag("channel", channel)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry)
        .record(Duration.between(createdAt, sentAt));
  }

  void outbox(OutboxDepth sample) {
    depth.set(sample.depth());
    oldestAgeMillis.set(Math.round(sample.oldestAgeSeconds() * 1000));
  }

  void failedPass() {
    errors().increment();
  }

  private Counter errors() {
    return registry.counter("podflow.notifier.errors");
  }
}
