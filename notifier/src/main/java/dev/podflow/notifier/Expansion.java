package dev.podflow.notifier;

import dev.podflow.store.notification.DeliveryDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns PENDING notifications into deliveries on this notifier's channels, a batch per transaction
 * ({@link DeliveryDao#deliveryExpand}; it locks only the notifications it claims, with SKIP LOCKED,
 * so notifiers expand different ones at once). Thread-safe.
 */
final class Expansion {
  /** What one batch did: notifications now DELIVERING, and UNDELIVERABLE (no address at all). */
  record Expanded(int delivering, int undeliverable) {
    int claimed() {
      return delivering + undeliverable;
    }
  }

  private final Jdbi jdbi;
  private final String[] channels;
  private final int batchSize;

  Expansion(Jdbi jdbi, String[] channels, int batchSize) {
    this.jdbi = jdbi;
    this.channels = channels;
    this.batchSize = batchSize;
  }

  Expanded expandOnce() {
    var statuses =
        jdbi.inTransaction(h -> h.attach(DeliveryDao.class).deliveryExpand(batchSize, channels));
    int undeliverable = (int) statuses.stream().filter("UNDELIVERABLE"::equals).count();
    return new Expanded(statuses.size() - undeliverable, undeliverable);
  }
}
