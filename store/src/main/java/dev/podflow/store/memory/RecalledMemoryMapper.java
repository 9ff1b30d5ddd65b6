package dev.podflow.store.memory;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link RecalledMemory}. Thread-safe. */
public final class RecalledMemoryMapper implements RowMapper<RecalledMemory> {
  public static final RecalledMemoryMapper INSTANCE = new RecalledMemoryMapper();

  private RecalledMemoryMapper() {}

  @Override
  public RecalledMemory map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RecalledMemory(
        rs.getLong("id"), rs.getString("content"), rs.getString("source"), rs.getDouble("score"));
  }
}
