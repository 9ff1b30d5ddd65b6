package dev.podflow.store.audit;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads an {@link AuditEntry} from a row with the {@code audit_log} columns. Thread-safe. */
public final class AuditEntryMapper implements RowMapper<AuditEntry> {
  public static final AuditEntryMapper INSTANCE = new AuditEntryMapper();

  private AuditEntryMapper() {}

  @Override
  public AuditEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuditEntry(
        rs.getLong("id"),
        instant(rs, "at"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("subject"),
        json(rs, "details"));
  }
}
