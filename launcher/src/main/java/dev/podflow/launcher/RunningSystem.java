package dev.podflow.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command started, closed in reverse order: pods stop claiming before the API and the
 * database go away.
 */
final class RunningSystem implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunningSystem.class);
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private int apiPort = -1;

  <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  void apiPort(int port) {
    this.apiPort = port;
  }

  /** The API's port, or -1 when this system runs no API. */
  int apiPort() {
    return apiPort;
  }

  /** Blocks until SIGTERM or Ctrl-C, then stops everything in order and exits 0. */
  void serveUntilStopped() {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  close();
                  stopped.countDown();
                  System.out.flush();
                  Runtime.getRuntime().halt(0);
                },
                "podflow-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
