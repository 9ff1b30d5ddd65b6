package dev.podflow.store.definition;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link StoredDefinition} from a row with the {@code proc_def} columns. Thread-safe. */
public final class StoredDefinitionMapper implements RowMapper<StoredDefinition> {
  public static final StoredDefinitionMapper INSTANCE = new StoredDefinitionMapper();

  private StoredDefinitionMapper() {}

  @Override
  public StoredDefinition map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new StoredDefinition(
        rs.getString("id"),
        rs.getInt("version"),
        rs.getString("name"),
        json(rs, "definition"),
        instant(rs, "created_at"));
  }
}
