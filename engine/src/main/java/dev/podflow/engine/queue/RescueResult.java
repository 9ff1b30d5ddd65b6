package dev.podflow.engine.queue;

/** What one rescue pass did; {@code skipped} when another pod held the rescuer lock. */
public record RescueResult(int requeued, int dead, boolean skipped) {
  public int total() {
    return requeued + dead;
  }
}
