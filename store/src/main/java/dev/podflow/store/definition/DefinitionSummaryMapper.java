package dev.podflow.store.definition;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link DefinitionSummary} from a row with its {@code proc_def} columns. Thread-safe. */
public final class DefinitionSummaryMapper implements RowMapper<DefinitionSummary> {
  public static final DefinitionSummaryMapper INSTANCE = new DefinitionSummaryMapper();

  private DefinitionSummaryMapper() {}

  @Override
  public DefinitionSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DefinitionSummary(
        rs.getString("id"), rs.getInt("version"), rs.getString("name"), instant(rs, "created_at"));
  }
}
