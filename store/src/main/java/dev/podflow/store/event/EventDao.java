package dev.podflow.store.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The {@code events} timeline. SQL lives in {@code EventDao/*.sql}. */
public interface EventDao {

  /** Appends an event and returns its id; the caller tells SSE followers after the commit. */
  @SqlQuery
  long eventAppend(
      @Bind("procInstId") UUID procInstId,
      @Bind("taskId") Long taskId,
      @Bind("type") String type,
      @Bind("payload") JsonNode payload);

  /**
   * Appends an event of a claimed task only while the claim is held ({@code claim_token} matches
   * and the task is {@code IN_PROGRESS}); returns the event's id, or empty when the claim was lost.
   */
  @SqlQuery
  Optional<Long> eventAppendForClaim(
      @Bind("taskId") long taskId,
      @Bind("claimToken") UUID claimToken,
      @Bind("type") String type,
      @Bind("payload") JsonNode payload);

  /**
   * Those of {@code procInstIds} that have events with an id above their mark ({@code afterIds[k]}
   * for {@code procInstIds[k]}).
   */
  @SqlQuery
  List<UUID> eventListInstancesWithNewEvents(
      @Bind("procInstIds") UUID[] procInstIds, @Bind("afterIds") long[] afterIds);

  /** Events of an instance with an id above {@code afterId}, oldest first. */
  @SqlQuery
  List<Event> eventListByInstance(
      @Bind("procInstId") UUID procInstId, @Bind("afterId") long afterId, @Bind("limit") int limit);
}
