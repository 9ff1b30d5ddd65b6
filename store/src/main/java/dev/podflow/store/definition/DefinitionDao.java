package dev.podflow.store.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * Versioned process definitions ({@code proc_def}), each of one tenant: every statement names the
 * tenant, and an id names a definition within it. SQL lives in {@code DefinitionDao/*.sql}.
 */
public interface DefinitionDao {

  /**
   * Stores the definition as the next version of its id in {@code tenantId} and returns that
   * version. Concurrent uploads of one id in one tenant are serialized by a transaction-scoped
   * advisory lock on the tenant and id.
   */
  @Transaction
  default int definitionInsertNextVersion(
      String tenantId, String id, String name, JsonNode definition) {
    definitionLockId(tenantId, id);
    return definitionInsert(tenantId, id, name, definition);
  }

  @SqlQuery
  String definitionLockId(@Bind("tenantId") String tenantId, @Bind("id") String id);

  @SqlQuery
  int definitionInsert(
      @Bind("tenantId") String tenantId,
      @Bind("id") String id,
      @Bind("name") String name,
      @Bind("definition") JsonNode definition);

  @SqlQuery
  Optional<StoredDefinition> definitionGetLatest(
      @Bind("tenantId") String tenantId, @Bind("id") String id);

  @SqlQuery
  Optional<StoredDefinition> definitionGet(
      @Bind("tenantId") String tenantId, @Bind("id") String id, @Bind("version") int version);

  /**
   * Up to {@code limit} of {@code tenantId}'s definitions in their latest versions, newest first by
   * {@code (created_at, id)}: after the position {@code (afterCreatedAt, afterId)}, or from the
   * newest when {@code afterCreatedAt} is null.
   */
  @SqlQuery
  List<DefinitionSummary> definitionListLatest(
      @Bind("tenantId") String tenantId,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterId") String afterId,
      @Bind("limit") int limit);

  /**
   * Up to {@code limit} versions of {@code tenantId}'s definition {@code id}, newest first by
   * {@code (created_at, version)}: after the position {@code (afterCreatedAt, afterVersion)}, or
   * from the newest when {@code afterCreatedAt} is null.
   */
  @SqlQuery
  List<DefinitionSummary> definitionListVersions(
      @Bind("tenantId") String tenantId,
      @Bind("id") String id,
      @Bind("afterCreatedAt") Instant afterCreatedAt,
      @Bind("afterVersion") Integer afterVersion,
      @Bind("limit") int limit);
}
