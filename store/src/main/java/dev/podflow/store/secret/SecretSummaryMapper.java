package dev.podflow.store.secret;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a {@link SecretSummary} from a row with the {@code tenant_secrets} columns but the
 * ciphertext. Thread-safe.
 */
public final class SecretSummaryMapper implements RowMapper<SecretSummary> {
  public static final SecretSummaryMapper INSTANCE = new SecretSummaryMapper();

  private SecretSummaryMapper() {}

  @Override
  public SecretSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SecretSummary(
        rs.getString("name"), instant(rs, "created_at"), instant(rs, "updated_at"));
  }
}
