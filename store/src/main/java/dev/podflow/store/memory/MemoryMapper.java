package dev.podflow.store.memory;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link Memory}. Thread-safe. */
public final class MemoryMapper implements RowMapper<Memory> {
  public static final MemoryMapper INSTANCE = new MemoryMapper();

  private MemoryMapper() {}

  @Override
  public Memory map(ResultSet rs, StatementContext ctx) throws SQLException {
    long taskId = rs.getLong("task_id");
    Long task = rs.wasNull() ? null : taskId;
    return new Memory(
        rs.getLong("id"),
        rs.getString("agent_id"),
        rs.getString("user_id"),
        rs.getString("definition_id"),
        rs.getString("source"),
        rs.getString("content"),
        task,
        rs.getString("created_by"),
        rs.getBoolean("embedded"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
