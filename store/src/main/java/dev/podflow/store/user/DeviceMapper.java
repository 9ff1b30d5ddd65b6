package dev.podflow.store.user;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link Device} from a row with the {@code device_tokens} columns. Thread-safe. */
public final class DeviceMapper implements RowMapper<Device> {
  @Override
  public Device map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Device(
        rs.getString("token"),
        rs.getString("platform"),
        instant(rs, "created_at"),
        instant(rs, "retired_at"),
        rs.getString("retired_reason"),
        instant(rs, "last_sent_at"));
  }

  /** Reads a {@link Device.Registered}: the device and the column {@code created}. */
  public static final class Registered implements RowMapper<Device.Registered> {
    private final DeviceMapper device = new DeviceMapper();

    @Override
    public Device.Registered map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new Device.Registered(device.map(rs, ctx), rs.getBoolean("created"));
    }
  }
}
