package dev.podflow.store.instance;

import static dev.podflow.store.Columns.enumValue;
import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads an {@link InstanceSummary} from a row with its {@code bpm_proc_inst} columns. Thread-safe.
 */
public final class InstanceSummaryMapper implements RowMapper<InstanceSummary> {
  public static final InstanceSummaryMapper INSTANCE = new InstanceSummaryMapper();

  private InstanceSummaryMapper() {}

  @Override
  public InstanceSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new InstanceSummary(
        uuid(rs, "id"),
        rs.getString("proc_def_id"),
        rs.getInt("proc_def_version"),
        enumValue(rs, "status", InstanceStatus.class),
        rs.getString("initiator"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "finished_at"));
  }
}
