package dev.podflow.store.event;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;
import static dev.podflow.store.Columns.nullableLong;
import static dev.podflow.store.Columns.uuid;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads an {@link Event} from a row with the {@code events} columns. Thread-safe. */
public final class EventMapper implements RowMapper<Event> {
  public static final EventMapper INSTANCE = new EventMapper();

  private EventMapper() {}

  @Override
  public Event map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Event(
        rs.getLong("id"),
        uuid(rs, "proc_inst_id"),
        nullableLong(rs, "task_id"),
        rs.getString("type"),
        json(rs, "payload"),
        instant(rs, "created_at"));
  }
}
