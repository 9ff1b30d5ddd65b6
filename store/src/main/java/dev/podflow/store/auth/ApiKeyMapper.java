package dev.podflow.store.auth;

import static dev.podflow.store.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads an {@link ApiKey} from a row with the {@code api_keys} columns but the hash. Thread-safe.
 */
public final class ApiKeyMapper implements RowMapper<ApiKey> {
  public static final ApiKeyMapper INSTANCE = new ApiKeyMapper();

  private ApiKeyMapper() {}

  @Override
  public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ApiKey(
        rs.getString("id"),
        rs.getString("tenant_id"),
        Role.fromWireName(rs.getString("role")).orElseThrow(),
        rs.getString("user_name"),
        instant(rs, "created_at"),
        instant(rs, "expires_at"),
        instant(rs, "revoked_at"));
  }

  /** Reads a {@link StoredApiKey}: the key and its {@code secret_hash}. */
  public static final RowMapper<StoredApiKey> WITH_HASH =
      (rs, ctx) -> new StoredApiKey(INSTANCE.map(rs, ctx), rs.getBytes("secret_hash"));
}
