package dev.podflow.store.memory;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link RecalledChunk}. Thread-safe. */
public final class RecalledChunkMapper implements RowMapper<RecalledChunk> {
  public static final RecalledChunkMapper INSTANCE = new RecalledChunkMapper();

  private RecalledChunkMapper() {}

  @Override
  public RecalledChunk map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RecalledChunk(
        rs.getLong("id"),
        rs.getLong("document_id"),
        rs.getString("title"),
        rs.getString("content"),
        rs.getDouble("score"));
  }
}
