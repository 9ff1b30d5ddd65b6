package dev.podflow.store;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A point in a background service that a test can wait for, instead of sleeping or polling (after
 * River's test signals). The service calls {@link #signal} at that point; it costs a volatile read
 * and does nothing until a test calls {@link #init}, after which every signal is queued for {@link
 * #waitOrTimeout}. Thread-safe.
 *
 * @param <T> what the service tells the test at that point
 */
public final class TestSignal<T> {
  private volatile BlockingQueue<T> received;

  /** Starts recording signals; those sent before are gone. */
  public void init() {
    received = new LinkedBlockingQueue<>();
  }

  /** Records {@code value} if a test {@linkplain #init initialized} this signal. */
  public void signal(T value) {
    BlockingQueue<T> queue = received;
    if (queue != null) queue.add(value);
  }

  /**
   * The oldest signal not yet taken, waiting up to {@code timeout} for one.
   *
   * @throws IllegalStateException when none came in time, or the signal was never initialized
   */
  public T waitOrTimeout(Duration timeout) throws InterruptedException {
    BlockingQueue<T> queue = received;
    if (queue == null) throw new IllegalStateException("test signal waited on before init()");
    T value = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (value == null) {
      throw new IllegalStateException("no test signal within " + timeout.toMillis() + " ms");
    }
    return value;
  }
}
