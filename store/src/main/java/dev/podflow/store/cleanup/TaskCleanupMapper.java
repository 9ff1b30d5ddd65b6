package dev.podflow.store.cleanup;

import static dev.podflow.store.Columns.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link TaskCleanup}. Thread-safe. */
public final class TaskCleanupMapper implements RowMapper<TaskCleanup> {
  public static final TaskCleanupMapper INSTANCE = new TaskCleanupMapper();

  private TaskCleanupMapper() {}

  @Override
  public TaskCleanup map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new TaskCleanup(
        rs.getLong("id"),
        rs.getString("tenant_id"),
        rs.getLong("task_id"),
        rs.getString("orchestrator"),
        json(rs, "payload"),
        rs.getInt("attempts"));
  }
}
