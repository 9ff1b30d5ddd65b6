package dev.podflow.store.cleanup;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The outbox of what cancelled tasks left to undo outside ({@code task_cleanups}, V19). The cancel
 * queues (as the API, for its tenant); pods claim, carry out and settle (as {@code podflow_pod},
 * every tenant). SQL lives in {@code TaskCleanupDao/*.sql}. A jdbi SQL object.
 */
public interface TaskCleanupDao {

  /**
   * Queues the {@code onCancel} of each of the instance's tasks in {@code taskIds} that saved one
   * (its checkpoint's {@code state.onCancel}, a JSON object); how many were queued.
   */
  @SqlUpdate
  int cleanupQueueCancelled(@Bind("procInstId") UUID procInstId, @Bind("taskIds") long[] taskIds);

  /**
   * Up to {@code limit} due cleanups of any tenant, oldest first, each counted as an attempt and
   * not due again for {@code leaseSeconds} (so a pod that dies holding one only delays it); rows
   * other pods are claiming are skipped.
   */
  @SqlQuery
  List<TaskCleanup> cleanupClaim(@Bind("limit") int limit, @Bind("leaseSeconds") int leaseSeconds);

  /** Marks the cleanup carried out. */
  @SqlUpdate
  void cleanupDone(@Bind("id") long id);

  /** Records why this attempt failed and when to try again. */
  @SqlUpdate
  void cleanupRetry(
      @Bind("id") long id, @Bind("error") String error, @Bind("delaySeconds") int delaySeconds);

  /** Gives the cleanup up, finished with {@code error}. */
  @SqlUpdate
  void cleanupGiveUp(@Bind("id") long id, @Bind("error") String error);
}
