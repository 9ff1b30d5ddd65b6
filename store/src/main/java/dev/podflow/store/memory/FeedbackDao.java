package dev.podflow.store.memory;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The ratings people give tasks' results ({@code task_feedback}, V23), each with the memory its
 * correction became, if any. A jdbi SQL object; SQL in {@code FeedbackDao/*.sql}.
 */
public interface FeedbackDao {

  /** Records a rating (1..5) and the correction, if any; its id. */
  @SqlUpdate
  @GetGeneratedKeys("id")
  long feedbackInsert(
      @Bind("tenantId") String tenantId,
      @Bind("taskId") long taskId,
      @Bind("userId") String userId,
      @Bind("rating") int rating,
      @Bind("correction") String correction,
      @Bind("memoryId") Long memoryId);
}
