package dev.podflow.agents;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * What an instance has done so far, for prompts. SQL lives in {@code HistoryDao/*.sql}. Its row
 * mapper is registered here rather than in the store's {@code Database}, which does not know the
 * agents' records.
 */
@RegisterRowMapper(DoneStepMapper.class)
interface HistoryDao {

  /** The instance's DONE tasks, oldest completion first, with their activities' names. */
  @SqlQuery
  List<InstanceHistory.DoneStep> historyDoneSteps(@Bind("procInstId") UUID procInstId);
}
