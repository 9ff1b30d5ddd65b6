package dev.podflow.store.notification;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;
import static dev.podflow.store.Columns.nullableLong;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link UserNotification} from a row of {@code notifications}. Thread-safe. */
public final class UserNotificationMapper implements RowMapper<UserNotification> {
  @Override
  public UserNotification map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new UserNotification(
        rs.getLong("id"),
        rs.getString("type"),
        rs.getString("title"),
        rs.getString("body"),
        json(rs, "payload"),
        uuid(rs, "proc_inst_id"),
        nullableLong(rs, "task_id"),
        rs.getString("status"),
        rs.getObject("read_at") != null,
        instant(rs, "created_at"));
  }
}
