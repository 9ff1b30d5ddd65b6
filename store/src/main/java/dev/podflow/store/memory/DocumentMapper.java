package dev.podflow.store.memory;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link Document}. Thread-safe. */
public final class DocumentMapper implements RowMapper<Document> {
  public static final DocumentMapper INSTANCE = new DocumentMapper();

  private DocumentMapper() {}

  @Override
  public Document map(ResultSet rs, StatementContext ctx) throws SQLException {
    int chunks = rs.getInt("chunks");
    Integer cut = rs.wasNull() ? null : chunks;
    return new Document(
        rs.getLong("id"),
        rs.getString("title"),
        rs.getString("media_type"),
        rs.getString("agent_id"),
        rs.getString("status"),
        cut,
        rs.getInt("chunks_embedded"),
        rs.getString("error"),
        rs.getInt("attempts"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
