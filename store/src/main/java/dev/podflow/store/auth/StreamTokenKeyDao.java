package dev.podflow.store.auth;

import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The database's one key for the API's stream tokens ({@code stream_token_key}, migration V31). SQL
 * lives in {@code StreamTokenKeyDao/*.sql}.
 */
public interface StreamTokenKeyDao {

  /** The 32-byte HMAC key; empty when the row is gone. Callable as podflow_metrics only. */
  @SqlQuery
  Optional<byte[]> streamTokenKey();
}
