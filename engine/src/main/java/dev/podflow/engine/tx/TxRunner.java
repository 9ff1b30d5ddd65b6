package dev.podflow.engine.tx;

import dev.podflow.store.Notifier;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs every unit of the engine's database work: one {@link QueueTx} per transaction, a deadlock
 * that PostgreSQL broke run again from the start, and the transaction's {@linkplain
 * QueueTx#afterCommit notices} sent through the one {@link Notifier} once it has committed — never
 * inside it, never for a transaction that rolled back. Thread-safe.
 *
 * <p>Why deadlocks are retried here and not avoided everywhere: every path locks in the same order
 * (descendants before ancestors: child tasks and sub-processes before the tasks waiting for them,
 * task rows before their instance row), but a command on a whole instance locks all its tasks in id
 * order while a step transition locks its own task and then, for a join or a parent, an older one.
 * The two can meet, rarely; the aborted side runs again and then sees the other's writes.
 */
public final class TxRunner {
  private static final String DEADLOCK_DETECTED = "40P01";

  /** Runs of one unit of work, at most, when each ends in a deadlock. */
  static final int DEADLOCK_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final Notifier notifier;

  public TxRunner(Jdbi jdbi, Notifier notifier) {
    this.jdbi = jdbi;
    this.notifier = notifier;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Runs {@code work} in one transaction and returns its result; its notices go out after the
   * commit. An exception from {@code work} rolls everything back and reaches the caller; a deadlock
   * runs {@code work} again, up to {@link #DEADLOCK_ATTEMPTS} times in all.
   */
  public <T> T inTransaction(Function<QueueTx, T> work) {
    for (int attempt = 1; ; attempt++) {
      List<Notice> notices = new ArrayList<>();
      try {
        T result =
            jdbi.inTransaction(
                h -> {
                  QueueTx tx = new QueueTx(h);
                  T value = work.apply(tx);
                  notices.addAll(tx.notices());
                  return value;
                });
        send(notices);
        return result;
      } catch (JdbiException e) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(e)) throw e;
      }
    }
  }

  /**
   * Runs {@code work} without a transaction of its own: each statement commits alone (the claim
   * does, asynchronously). Notices go out after {@code work} returns.
   */
  public <T> T autocommit(Function<QueueTx, T> work) {
    List<Notice> notices = new ArrayList<>();
    T result =
        jdbi.withHandle(
            h -> {
              QueueTx tx = new QueueTx(h);
              T value = work.apply(tx);
              notices.addAll(tx.notices());
              return value;
            });
    send(notices);
    return result;
  }

  /** All of a transaction's notices, in one statement. */
  private void send(List<Notice> notices) {
    if (notices.isEmpty()) return;
    notifier.send(notices.stream().map(Notice::toNotification).toList());
  }

  private static boolean isDeadlock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && DEADLOCK_DETECTED.equals(sql.getSQLState())) return true;
    }
    return false;
  }
}
