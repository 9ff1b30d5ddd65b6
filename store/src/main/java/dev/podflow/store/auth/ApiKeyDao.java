package dev.podflow.store.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Tenants and API keys ({@code tenants}, {@code api_keys}). SQL lives in {@code ApiKeyDao/*.sql}.
 */
public interface ApiKeyDao {

  /** Creates the tenant unless it exists; true when it was created now. */
  @SqlQuery
  Optional<Boolean> tenantEnsure(@Bind("tenantId") String tenantId);

  @SqlQuery
  ApiKey keyInsert(
      @Bind("id") String id,
      @Bind("secretHash") byte[] secretHash,
      @Bind("tenantId") String tenantId,
      @Bind("role") String role,
      @Bind("user") String user,
      @Bind("expiresAt") Instant expiresAt);

  @SqlQuery
  List<ApiKey> keyList();

  @SqlQuery
  Optional<ApiKey> keyGet(@Bind("id") String id);

  /** The key with this id, its row locked until the transaction ends. */
  @SqlQuery
  Optional<ApiKey> keyGetForUpdate(@Bind("id") String id);

  @SqlQuery
  Optional<ApiKey> keyRevoke(@Bind("id") String id);

  /** Revokes every active key of the user in the tenant; the keys revoked now. */
  @SqlQuery
  List<ApiKey> keyRevokeOfUser(@Bind("tenantId") String tenantId, @Bind("user") String user);

  @SqlQuery
  Optional<StoredApiKey> keyFindForCheck(@Bind("id") String id);
}
