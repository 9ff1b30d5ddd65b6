package dev.podflow.pod;

import dev.podflow.store.Database;
import dev.podflow.store.notify.Channel;
import dev.podflow.store.notify.NoticeListener;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's {@code LISTEN} session (a {@link NoticeListener}): a {@code podflow_tasks} notification
 * wakes the pod's slots; a {@code podflow_cancel} one (payload: task ids) goes to the cancel
 * handler, which stops the slot running each task if it runs on this pod. After every (re)connect
 * it wakes the slots once, since notifications sent meanwhile are lost; the slots' jittered poll
 * and the lease heartbeat (which finds a cancelled task's claim gone) cover the gap.
 */
final class TaskWakeups {
  private static final Logger log = LoggerFactory.getLogger(TaskWakeups.class);

  private final String podId;
  private final LongConsumer cancelledTasks;
  private final NoticeListener listener;

  /**
   * @param cancelledTasks gets the id of every task cancelled while running, anywhere in the
   *     cluster (see {@link LeaseKeeper#cancelled}); called on the listening thread, so it must be
   *     quick
   */
  TaskWakeups(Database database, WakeSignal signal, LongConsumer cancelledTasks, String podId) {
    this.podId = podId;
    this.cancelledTasks = cancelledTasks;
    // podflow_tasks last: pg_stat_activity shows a session's last statement, and that is how
    // operators (and PodLifecycleTest) recognise a pod's listening session.
    this.listener =
        NoticeListener.builder(database, "podflow-pod-listen-" + podId)
            .on(Channel.CANCEL, this::cancelled)
            .on(Channel.TASKS, words -> signal.signalAll())
            .onConnect(signal::signalAll)
            .build();
  }

  void start() {
    listener.start();
  }

  void stop() {
    listener.close();
  }

  /** True while the LISTEN session is up and has woken the slots once. */
  boolean isListening() {
    return listener.isListening();
  }

  private void cancelled(List<String> taskIds) {
    for (String word : taskIds) {
      long taskId;
      try {
        taskId = Long.parseLong(word);
      } catch (NumberFormatException e) {
        log.warn(
            "[pod {}] ignoring a {} notice without a task id: '{}'",
            podId,
            Channel.CANCEL.sqlName(),
            word);
        continue;
      }
      try {
        cancelledTasks.accept(taskId);
      } catch (RuntimeException e) {
        log.warn("[pod {}] handling the cancellation of task {} failed", podId, taskId, e);
      }
    }
  }
}
