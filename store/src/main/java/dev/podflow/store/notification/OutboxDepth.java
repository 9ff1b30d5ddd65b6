package dev.podflow.store.notification;

/**
 * The notifications not finished yet (PENDING or DELIVERING), sampled for the notifier's gauges.
 *
 * @param oldestAgeSeconds the age of the oldest of them; 0 when there is none
 */
public record OutboxDepth(long depth, double oldestAgeSeconds) {}
