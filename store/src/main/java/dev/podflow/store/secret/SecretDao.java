package dev.podflow.store.secret;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The tenant secret store ({@code tenant_secrets}, V16): each secret of one tenant, stored only as
 * the ciphertext {@link SecretCipher} seals for that tenant and name. The API writes a tenant's
 * secrets as {@code podflow_api} and lists their names; pods read one when a tool call references
 * it ({@link #secretValue}) as {@code podflow_pod}, which may read but not change them. SQL lives
 * in {@code SecretDao/*.sql}. A jdbi SQL object: attach it to a handle (or use {@code
 * Jdbi#withExtension}); it holds no state of its own.
 */
public interface SecretDao {

  /**
   * Stores {@code ciphertext} as the tenant's secret {@code name}, replacing the one stored under
   * that name (keeping its {@code created_at}); true when it was new.
   */
  @SqlQuery
  boolean secretPut(
      @Bind("tenantId") String tenantId,
      @Bind("name") String name,
      @Bind("ciphertext") byte[] ciphertext);

  /**
   * Up to {@code limit} of {@code tenantId}'s secrets, names and times only, newest first by {@code
   * (created_at, name)}: after the position {@code (afterCreatedAt, afterName)}, or from the newest
   * when {@code afterCreatedAt} is null.
   */
  @SqlQuery
  List<SecretSummary> secretList(
      @Bind("tenantId") String tenantId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterName") String afterName,
      @Bind("limit") int limit);

  /** The name and times of the tenant's secret {@code name}, never its value. */
  @SqlQuery
  Optional<SecretSummary> secretSummary(
      @Bind("tenantId") String tenantId, @Bind("name") String name);

  /** Deletes the tenant's secret {@code name}; false when there was none. */
  @SqlUpdate
  boolean secretDelete(@Bind("tenantId") String tenantId, @Bind("name") String name);

  /**
   * The ciphertext of the tenant's secret {@code name}, as {@link SecretCipher#encrypt} made it.
   */
  @SqlQuery
  Optional<byte[]> secretGet(@Bind("tenantId") String tenantId, @Bind("name") String name);

  /**
   * The value of the tenant's secret {@code name}, decrypted with {@code cipher}: what a pod puts
   * in place of {@code ${NAME}} in a tenant's MCP server's {@code env} or {@code headers} when it
   * calls the server. Empty when the tenant has no such secret. Keep the value out of logs, events
   * and exception messages.
   *
   * @throws SecretUnreadableException when the stored ciphertext does not decrypt with the cipher's
   *     key for this tenant and name (the key changed, or the row was copied)
   */
  default Optional<String> secretValue(String tenantId, String name, SecretCipher cipher) {
    return secretGet(tenantId, name).map(ciphertext -> cipher.decrypt(tenantId, name, ciphertext));
  }
}
