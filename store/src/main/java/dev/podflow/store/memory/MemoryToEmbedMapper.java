package dev.podflow.store.memory;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link MemoryToEmbed}. Thread-safe. */
public final class MemoryToEmbedMapper implements RowMapper<MemoryToEmbed> {
  public static final MemoryToEmbedMapper INSTANCE = new MemoryToEmbedMapper();

  private MemoryToEmbedMapper() {}

  @Override
  public MemoryToEmbed map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new MemoryToEmbed(
        rs.getLong("id"),
        rs.getString("tenant_id"),
        rs.getString("agent_id"),
        rs.getString("content"));
  }
}
