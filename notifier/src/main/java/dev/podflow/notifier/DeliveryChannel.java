package dev.podflow.notifier;

import dev.podflow.store.notification.DueDelivery;
import java.util.List;

/**
 * One way of delivering notifications ({@code notification_deliveries.channel}): {@code fcm} (push
 * through firebase-admin), {@code log} (the demo: a log line of what would be delivered); an {@code
 * email} channel drops in as one more implementation. A notifier expands notifications only into
 * the channels it has, and claims only their deliveries.
 *
 * <p>Implementations are thread-safe: several notifier threads may send at once.
 */
public interface DeliveryChannel extends AutoCloseable {

  /** The channel's name in {@code notification_deliveries.channel}. */
  String name();

  /**
   * Sends every delivery of {@code deliveries} (all of this channel) and says what became of each,
   * in the same order. A failure of one delivery, or of the whole call, is an {@link Outcome},
   * never an exception.
   */
  List<Outcome> send(List<DueDelivery> deliveries);

  /** Releases the channel's clients. */
  @Override
  default void close() {}
}
