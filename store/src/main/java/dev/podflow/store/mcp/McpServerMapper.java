package dev.podflow.store.mcp;

import static dev.podflow.store.Columns.instant;
import static dev.podflow.store.Columns.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads an {@link McpServer} from a row with the {@code mcp_servers} columns. Thread-safe. */
public final class McpServerMapper implements RowMapper<McpServer> {
  public static final McpServerMapper INSTANCE = new McpServerMapper();

  private McpServerMapper() {}

  @Override
  public McpServer map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new McpServer(
        rs.getString("name"),
        rs.getString("command"),
        json(rs, "args"),
        json(rs, "env"),
        rs.getString("url"),
        json(rs, "headers"),
        rs.getBoolean("enabled"),
        rs.getString("created_by"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
