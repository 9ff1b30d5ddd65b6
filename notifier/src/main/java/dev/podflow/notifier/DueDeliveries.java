package dev.podflow.notifier;

import dev.podflow.store.notification.DeliveryDao;
import dev.podflow.store.notification.DueDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries: claims a batch (one short transaction, SKIP LOCKED, an attempt and a lease
 * each), sends each channel's share with no transaction open, then records every outcome in one
 * transaction, each write fenced by the attempt it was claimed with — a notifier whose lease was
 * taken over records nothing — and settles the notifications whose deliveries all ended.
 *
 * <p>Locks of the recording transaction, in order: the batch's delivery rows by ascending id, then
 * their DELIVERING notifications by ascending id ({@code notificationLockDelivering}), so settling
 * reads every delivery committed before. A crash after a channel's answer and before this commit
 * loses the record: the lease runs out and the delivery goes again (FCM's collapse key makes the
 * device show it once). Thread-safe.
 */
final class DueDeliveries {
  private static final Logger log = LoggerFactory.getLogger(DueDeliveries.class);

  /** What one batch came to, by how each delivery was recorded. */
  record Round(int claimed, int sent, int retried, int failed, int retired, int leaseLost) {
    static final Round NONE = new Round(0, 0, 0, 0, 0, 0);
  }

  private record Result(DueDelivery delivery, Outcome outcome) {}

  private final Jdbi jdbi;
  private final NotifierSettings settings;
  private final Map<String, DeliveryChannel> channels;
  private final String[] channelNames;
  private final NotifierMetrics metrics;
  private final RandomGenerator random;

  DueDeliveries(
      Jdbi jdbi,
      NotifierSettings settings,
      List<DeliveryChannel> channels,
      NotifierMetrics metrics,
      RandomGenerator random) {
    this.jdbi = jdbi;
    this.settings = settings;
    this.channels = new LinkedHashMap<>();
    for (DeliveryChannel channel : channels) this.channels.put(channel.name(), channel);
    this.channelNames = this.channels.keySet().toArray(String[]::new);
    this.metrics = metrics;
    this.random = random;
  }

  /** Ends abandoned last attempts, then claims, sends and records one batch. */
  Round sendOnce() {
    giveUpAbandoned();
    List<DueDelivery> claimed =
        jdbi.inTransaction(
            h ->
                h.attach(DeliveryDao.class)
                    .deliveryClaimDue(
                        settings.notifierId(),
                        channelNames,
                        settings.batchSize(),
                        settings.lease().toMillis(),
                        settings.maxAttempts()));
    if (claimed.isEmpty()) return Round.NONE;
    List<Result> results = new ArrayList<>(claimed.size());
    channels.forEach(
        (name, channel) -> {
          List<DueDelivery> share = claimed.stream().filter(d -> d.channel().equals(name)).toList();
          if (!share.isEmpty()) results.addAll(send(channel, share));
        });
    results.sort(Comparator.comparingLong(r -> r.delivery().id()));
    List<String> recorded = jdbi.inTransaction(h -> record(h.attach(DeliveryDao.class), results));
    Map<String, Integer> counts = new LinkedHashMap<>();
    Instant now = Instant.now();
    for (int i = 0; i < results.size(); i++) {
      DueDelivery d = results.get(i).delivery();
      counts.merge(recorded.get(i), 1, Integer::sum);
      metrics.recorded(d.channel(), recorded.get(i), 1);
      if (recorded.get(i).equals("sent")) metrics.delivered(d.channel(), d.createdAt(), now);
    }
    return new Round(
        claimed.size(),
        counts.getOrDefault("sent", 0),
        counts.getOrDefault("retry", 0),
        counts.getOrDefault("failed", 0),
        counts.getOrDefault("retired", 0),
        counts.getOrDefault("lease_lost", 0));
  }

  /** The channel's outcomes; one that throws fails the whole share transiently. */
  private List<Result> send(DeliveryChannel channel, List<DueDelivery> share) {
    List<Outcome> outcomes;
    try {
      outcomes = channel.send(share);
    } catch (RuntimeException e) {
      log.warn("[notifier {}] the {} channel failed", settings.notifierId(), channel.name(), e);
      Outcome retry = Outcome.retry(channel.name() + " channel failed: " + e, null);
      outcomes = share.stream().map(d -> retry).toList();
    }
    List<Result> results = new ArrayList<>(share.size());
    for (int i = 0; i < share.size(); i++) results.add(new Result(share.get(i), outcomes.get(i)));
    return results;
  }

  /** Records every result, then settles what ended; how each was recorded, in order. */
  private List<String> record(DeliveryDao dao, List<Result> results) {
    TreeSet<Long> ended = new TreeSet<>();
    List<String> recorded = new ArrayList<>(results.size());
    for (Result result : results) {
      recorded.add(record(dao, result.delivery(), result.outcome(), ended));
    }
    settle(dao, ended);
    return recorded;
  }

  /** Records one outcome, fenced by its attempt; how it was recorded (the metric's outcome). */
  private String record(DeliveryDao dao, DueDelivery d, Outcome outcome, TreeSet<Long> ended) {
    String recorded =
        switch (outcome.kind()) {
          case SENT ->
              ended(dao.deliverySent(d.id(), d.attempt(), outcome.providerId()), ended, "sent");
          case RETIRE ->
              ended(dao.deliveryRetire(d.id(), d.attempt(), outcome.error()), ended, "retired");
          case FAIL ->
              ended(dao.deliveryFail(d.id(), d.attempt(), outcome.error()), ended, "failed");
          case RETRY -> retry(dao, d, outcome, ended);
        };
    if (recorded.equals("lease_lost")) {
      log.info(
          "[notifier {}] delivery {} attempt {} was taken over by another notifier: its {} is not"
              + " recorded",
          settings.notifierId(),
          d.id(),
          d.attempt(),
          outcome.kind());
    } else if (!recorded.equals("sent")) {
      log.info(
          "[notifier {}] delivery {} ({} of notification {}) attempt {}: {} ({})",
          settings.notifierId(),
          d.id(),
          d.channel(),
          d.notificationId(),
          d.attempt(),
          recorded,
          outcome.error());
    }
    return recorded;
  }

  private String retry(DeliveryDao dao, DueDelivery d, Outcome outcome, TreeSet<Long> ended) {
    Duration delay = settings.backoff().delay(d.attempt(), outcome.retryAfter(), random);
    Optional<String> status =
        dao.deliveryRetry(
            d.id(), d.attempt(), outcome.error(), delay.toMillis(), settings.maxAttempts());
    if (status.isEmpty()) return "lease_lost";
    if (status.get().equals("PENDING")) return "retry";
    ended.add(d.notificationId());
    return "failed";
  }

  private static String ended(Optional<Long> notificationId, TreeSet<Long> ended, String recorded) {
    if (notificationId.isEmpty()) return "lease_lost";
    ended.add(notificationId.get());
    return recorded;
  }

  /**
   * Fails the deliveries whose lease ran out on their last attempt, and settles them; counted as
   * {@code failed}.
   */
  private void giveUpAbandoned() {
    for (String channel : channelNames) {
      int given =
          jdbi.inTransaction(
              h -> {
                DeliveryDao dao = h.attach(DeliveryDao.class);
                List<Long> notifications =
                    dao.deliveryGiveUpAbandoned(channel, settings.maxAttempts());
                settle(dao, new TreeSet<>(notifications));
                return notifications.size();
              });
      if (given == 0) continue;
      metrics.recorded(channel, "failed", given);
      log.warn(
          "[notifier {}] {} {} deliveries lost their lease on their last attempt: FAILED",
          settings.notifierId(),
          given,
          channel);
    }
  }

  private static void settle(DeliveryDao dao, TreeSet<Long> notificationIds) {
    if (notificationIds.isEmpty()) return;
    long[] ids = notificationIds.stream().mapToLong(Long::longValue).toArray();
    List<Long> locked = dao.notificationLockDelivering(ids);
    if (!locked.isEmpty()) {
      dao.notificationSettle(locked.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
