package dev.podflow.store.notification;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The notifiers' side of the notifications outbox (V27): expanding PENDING notifications into one
 * {@code notification_deliveries} row per channel address, claiming due deliveries under a lease,
 * recording each outcome fenced by the attempt it was claimed with, and settling a notification
 * once all its deliveries ended. A jdbi SQL object; SQL in {@code DeliveryDao/*.sql}.
 *
 * <p>Locks, in the order a transaction takes them: expansion locks the notifications it claims
 * (SKIP LOCKED) and nothing else; a delivery claim locks deliveries (SKIP LOCKED); recording locks
 * the delivery rows it writes, then (settling) their DELIVERING notifications in id order.
 */
@RegisterRowMapper(DueDeliveryMapper.class)
@RegisterRowMapper(OutboxDepthMapper.class)
public interface DeliveryDao {

  /**
   * Expands up to {@code limit} PENDING notifications of any tenant into deliveries on {@code
   * channels} ({@code fcm}: one per active device of the recipient; {@code email}: the user's
   * address, if set; {@code log}: one); the status each ended in, DELIVERING or UNDELIVERABLE.
   */
  @SqlQuery
  List<String> deliveryExpand(@Bind("limit") int limit, @Bind("channels") String[] channels);

  /**
   * Claims up to {@code limit} due deliveries on {@code channels} for {@code notifierId} for {@code
   * leaseMillis}, each counted as an attempt; a SENDING one whose lease ran out is claimed again
   * only while it has attempts left ({@link #deliveryGiveUpAbandoned} ends the others).
   */
  @SqlQuery
  List<DueDelivery> deliveryClaimDue(
      @Bind("notifierId") String notifierId,
      @Bind("channels") String[] channels,
      @Bind("limit") int limit,
      @Bind("leaseMillis") long leaseMillis,
      @Bind("maxAttempts") int maxAttempts);

  /**
   * FAILs the deliveries on {@code channel} whose lease ran out on their last attempt; their
   * notifications' ids, one per delivery.
   */
  @SqlQuery
  List<Long> deliveryGiveUpAbandoned(
      @Bind("channel") String channel, @Bind("maxAttempts") int maxAttempts);

  /**
   * Records attempt {@code attempt} of delivery {@code id} as SENT with the channel's id for it
   * (FCM's message name) and stamps the device; its notification's id, or empty when the fence
   * failed (another notifier claimed it since).
   */
  @SqlQuery
  Optional<Long> deliverySent(
      @Bind("id") long id, @Bind("attempt") int attempt, @Bind("providerId") String providerId);

  /**
   * Records a transient failure of attempt {@code attempt}: PENDING again after {@code
   * delayMillis}, or FAILED when it was attempt {@code maxAttempts}; the status written, or empty
   * when the fence failed.
   */
  @SqlQuery
  Optional<String> deliveryRetry(
      @Bind("id") long id,
      @Bind("attempt") int attempt,
      @Bind("error") String error,
      @Bind("delayMillis") long delayMillis,
      @Bind("maxAttempts") int maxAttempts);

  /** Records a failure no retry helps; the notification's id, or empty when the fence failed. */
  @SqlQuery
  Optional<Long> deliveryFail(
      @Bind("id") long id, @Bind("attempt") int attempt, @Bind("error") String error);

  /**
   * Records that the address is gone (RETIRED) and retires its device token; the notification's id,
   * or empty when the fence failed.
   */
  @SqlQuery
  Optional<Long> deliveryRetire(
      @Bind("id") long id, @Bind("attempt") int attempt, @Bind("reason") String reason);

  /** Locks the DELIVERING notifications among {@code ids} in id order; their ids. */
  @SqlQuery
  List<Long> notificationLockDelivering(@Bind("ids") long[] ids);

  /**
   * Settles those of {@code ids} whose deliveries all ended (SENT if one was sent, else FAILED);
   * call under {@link #notificationLockDelivering}. The statuses written.
   */
  @SqlQuery
  List<String> notificationSettle(@Bind("ids") long[] ids);

  /**
   * Milliseconds until there is work, by the database's clock: 0 when a notification waits, else
   * until the earliest next attempt of a delivery on {@code channels}; empty when there is none.
   */
  @SqlQuery
  Optional<Long> deliveryNextDue(@Bind("channels") String[] channels);

  /** The unfinished notifications and the age of the oldest. */
  @SqlQuery
  OutboxDepth outboxDepth();
}
