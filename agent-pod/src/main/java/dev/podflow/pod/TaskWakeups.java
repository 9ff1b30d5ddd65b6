package dev.podflow.pod;

import dev.podflow.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a {@code LISTEN podflow_tasks} and {@code LISTEN podflow_cancel} session on a dedicated
 * connection. A {@code podflow_tasks} notification wakes the pod's slots; a {@code podflow_cancel}
 * one (payload: a task id) goes to the cancel handler, which stops the slot running that task if it
 * runs on this pod. When the connection breaks it reconnects with backoff and wakes the slots once,
 * since notifications sent meanwhile are lost; the slots' jittered poll and the lease heartbeat
 * (which finds a cancelled task's claim gone) cover the gap.
 */
final class TaskWakeups {
  static final String CHANNEL = "podflow_tasks";
  static final String CANCEL_CHANNEL = "podflow_cancel";
  private static final Logger log = LoggerFactory.getLogger(TaskWakeups.class);

  private final Database database;
  private final WakeSignal signal;
  private final LongConsumer cancelledTasks;
  private final String podId;
  private volatile boolean running;
  private volatile boolean listening;
  private Thread thread;

  /**
   * @param cancelledTasks gets the id of every task cancelled while running, anywhere in the
   *     cluster (see {@link LeaseKeeper#cancelled}); called on the listening thread, so it must be
   *     quick
   */
  TaskWakeups(Database database, WakeSignal signal, LongConsumer cancelledTasks, String podId) {
    this.database = database;
    this.signal = signal;
    this.cancelledTasks = cancelledTasks;
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
          // podflow_tasks last: pg_stat_activity shows a session's last statement, and that is
          // how operators (and PodLifecycleTest) recognise a pod's listening session.
          st.execute("LISTEN " + CANCEL_CHANNEL);
          st.execute("LISTEN " + CHANNEL);
        }
        listening = true;
        backoff = Duration.ofMillis(250);
        signal.signalAll();
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications == null) continue;
          boolean wake = false;
          for (PGNotification notification : notifications) {
            if (CANCEL_CHANNEL.equals(notification.getName())) {
              cancelled(notification.getParameter());
            } else {
              wake = true;
            }
          }
          if (wake) signal.signalAll();
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

  private void cancelled(String payload) {
    long taskId;
    try {
      taskId = Long.parseLong(payload.trim());
    } catch (NumberFormatException e) {
      log.warn(
          "[pod {}] ignoring a {} notice without a task id: '{}'", podId, CANCEL_CHANNEL, payload);
      return;
    }
    try {
      cancelledTasks.accept(taskId);
    } catch (RuntimeException e) {
      log.warn("[pod {}] handling the cancellation of task {} failed", podId, taskId, e);
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
