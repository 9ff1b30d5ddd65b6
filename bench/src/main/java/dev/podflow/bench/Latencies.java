package dev.podflow.bench;

/** Percentiles of latencies timed with {@link System#nanoTime}. */
final class Latencies {
  private Latencies() {}

  /** The {@code quantile} (0.5 for the median) of {@code sortedNanos}, in milliseconds. */
  static double ms(long[] sortedNanos, double quantile) {
    int i = Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * quantile));
    return sortedNanos[i] / 1e6;
  }
}
