package dev.podflow.agents;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;

import dev.podflow.agents.InstanceHistory.DoneStep;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link DoneStep} (see {@code historyDoneSteps.sql}). Thread-safe. */
public final class DoneStepMapper implements RowMapper<DoneStep> {

  @Override
  public DoneStep map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DoneStep(
        rs.getLong("task_id"),
        rs.getString("activity_id"),
        rs.getInt("pass"),
        rs.getString("activity_name"),
        json(rs, "output"),
        instant(rs, "finished_at"));
  }
}
