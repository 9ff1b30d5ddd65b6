package dev.podflow.store.task;

import static dev.podflow.store.Columns.enumValue;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link QueueDepth} (see {@code taskCountQueueDepth.sql}). Thread-safe. */
public final class QueueDepthMapper implements RowMapper<QueueDepth> {
  public static final QueueDepthMapper INSTANCE = new QueueDepthMapper();

  private QueueDepthMapper() {}

  @Override
  public QueueDepth map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new QueueDepth(
        rs.getString("orchestrator"),
        enumValue(rs, "status", TaskStatus.class),
        rs.getLong("tasks"));
  }
}
