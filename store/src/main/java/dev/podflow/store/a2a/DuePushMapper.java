package dev.podflow.store.a2a;

import static dev.podflow.store.Columns.enumValue;
import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;
import static dev.podflow.store.Columns.uuid;

import dev.podflow.store.instance.InstanceStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link DuePush} (see {@code pushClaimDue.sql}). Thread-safe. */
public final class DuePushMapper implements RowMapper<DuePush> {
  public static final DuePushMapper INSTANCE = new DuePushMapper();

  private DuePushMapper() {}

  @Override
  public DuePush map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DuePush(
        rs.getLong("id"),
        rs.getString("url"),
        rs.getString("token"),
        uuid(rs, "proc_inst_id"),
        enumValue(rs, "status", InstanceStatus.class),
        json(rs, "output"),
        instant(rs, "finished_at"),
        rs.getString("waiting_step"),
        rs.getInt("attempts"));
  }
}
