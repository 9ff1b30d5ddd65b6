package dev.podflow.store.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads an {@link OutboxDepth} (see {@code outboxDepth.sql}). Thread-safe. */
public final class OutboxDepthMapper implements RowMapper<OutboxDepth> {
  @Override
  public OutboxDepth map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new OutboxDepth(rs.getLong("depth"), rs.getDouble("oldest_age_seconds"));
  }
}
