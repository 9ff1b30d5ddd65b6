package dev.podflow.store.memory;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link DocumentToEmbed}. Thread-safe. */
public final class DocumentToEmbedMapper implements RowMapper<DocumentToEmbed> {
  public static final DocumentToEmbedMapper INSTANCE = new DocumentToEmbedMapper();

  private DocumentToEmbedMapper() {}

  @Override
  public DocumentToEmbed map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DocumentToEmbed(
        rs.getLong("id"),
        rs.getString("tenant_id"),
        rs.getString("media_type"),
        rs.getString("content"),
        rs.getInt("attempts"));
  }
}
