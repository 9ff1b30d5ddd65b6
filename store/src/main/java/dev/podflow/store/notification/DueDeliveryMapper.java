package dev.podflow.store.notification;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.nullableLong;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link DueDelivery} (see {@code deliveryClaimDue.sql}). Thread-safe. */
public final class DueDeliveryMapper implements RowMapper<DueDelivery> {
  @Override
  public DueDelivery map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DueDelivery(
        rs.getLong("id"),
        rs.getLong("notification_id"),
        rs.getString("tenant_id"),
        rs.getString("channel"),
        rs.getString("address"),
        rs.getInt("attempts"),
        rs.getString("recipient"),
        rs.getString("type"),
        rs.getString("title"),
        uuid(rs, "proc_inst_id"),
        nullableLong(rs, "task_id"),
        instant(rs, "created_at"));
  }
}
