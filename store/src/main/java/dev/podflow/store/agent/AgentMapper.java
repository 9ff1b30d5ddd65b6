package dev.podflow.store.agent;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads an {@link Agent} from a row with the {@code agents} columns. Thread-safe. */
public final class AgentMapper implements RowMapper<Agent> {
  public static final AgentMapper INSTANCE = new AgentMapper();

  private AgentMapper() {}

  @Override
  public Agent map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Agent(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("persona"),
        rs.getString("instructions"),
        rs.getString("model"),
        json(rs, "tools"),
        rs.getString("orchestrator"),
        json(rs, "a2a"),
        json(rs, "memory"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
