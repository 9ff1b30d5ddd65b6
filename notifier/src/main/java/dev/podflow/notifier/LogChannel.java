package dev.podflow.notifier;

import dev.podflow.store.notification.DueDelivery;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code log} channel, the notifier's only one when neither FCM nor email is configured (the
 * demo): delivering is one log line naming the notification it would deliver, and it is recorded
 * SENT like any other delivery. Thread-safe.
 */
public final class LogChannel implements DeliveryChannel {
  public static final String NAME = "log";
  private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Outcome> send(List<DueDelivery> deliveries) {
    List<Outcome> outcomes = new ArrayList<>(deliveries.size());
    for (DueDelivery d : deliveries) {
      log.info(
          "[notifier] would deliver notification {} ({}) to user {} of tenant {}: \"{}\""
              + " (process {}, task {}; no FCM or SMTP configured)",
          d.notificationId(),
          d.type(),
          d.recipient(),
          d.tenantId(),
          d.title(),
          d.procInstId(),
          d.taskId());
      outcomes.add(Outcome.sent("log:" + d.id()));
    }
    return outcomes;
  }
}
