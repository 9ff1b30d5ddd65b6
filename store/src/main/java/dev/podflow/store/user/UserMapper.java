package dev.podflow.store.user;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a {@link User} from a row with the {@code users} columns. Thread-safe. */
public final class UserMapper implements RowMapper<User> {
  @Override
  public User map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new User(
        rs.getString("id"),
        List.of((String[]) rs.getArray("roles").getArray()),
        rs.getString("email"),
        rs.getString("display_name"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
