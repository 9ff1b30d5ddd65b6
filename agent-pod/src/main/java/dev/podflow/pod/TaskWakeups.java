package dev.podflow.pod;

import dev.podflow.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a {@code LISTEN podflow_tasks} session on a dedicated connection and wakes the pod's slots
 * on every notification. When the connection breaks it reconnects with backoff and wakes the slots
 * once, since notifications sent meanwhile are lost; the slots' jittered poll covers the gap.
 */
final class TaskWakeups {
  static final String CHANNEL = "podflow_tasks";
  private static final Logger log = LoggerFactory.getLogger(TaskWakeups.class);

  private final Database database;
  private final WakeSignal signal;
  private final String podId;
  private volatile boolean running;
  private volatile boolean listening;
  private Thread thread;

  TaskWakeups(Database database, WakeSignal signal, String podId) {
    this.database = database;
    this.signal = signal;
    this.podId = podId;
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("podflow-wakeups-" + podId).start(this::run);
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True while the LISTEN session is up. */
  boolean isListening() {
    return listening;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(250);
    while (running) {
      try (Connection connection =
          database.openDedicatedConnection("podflow-pod-listen-" + podId)) {
        try (Statement st = connection.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        listening = true;
        backoff = Duration.ofMillis(250);
        signal.signalAll();
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications != null && notifications.length > 0) {
            signal.signalAll();
          }
        }
      } catch (SQLException e) {
        listening = false;
        if (!running) return;
        log.warn(
            "[pod {}] LISTEN {} lost ({}); reconnecting in {} ms",
            podId,
            CHANNEL,
            e.getMessage(),
            backoff.toMillis());
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      } finally {
        listening = false;
      }
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
