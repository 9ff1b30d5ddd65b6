package dev.podflow.store.task;

import static dev.podflow.store.Columns.enumValue;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link CancelledTask} (see {@code taskCancelByInstance.sql}). Thread-safe. */
public final class CancelledTaskMapper implements RowMapper<CancelledTask> {
  public static final CancelledTaskMapper INSTANCE = new CancelledTaskMapper();

  private CancelledTaskMapper() {}

  @Override
  public CancelledTask map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new CancelledTask(
        rs.getLong("id"),
        uuid(rs, "proc_inst_id"),
        rs.getString("activity_id"),
        rs.getString("claimed_by"),
        enumValue(rs, "previous_status", TaskStatus.class));
  }
}
