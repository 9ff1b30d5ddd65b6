package dev.podflow.store.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The audit log ({@code audit_log}, V14): changes to definitions, agents, API keys, MCP servers and
 * secrets (V16), each of one tenant. Attach it to the handle of the transaction that makes the
 * change, so the change and its entry commit together or not at all. SQL lives in {@code
 * AuditDao/*.sql}.
 */
public interface AuditDao {

  /**
   * Records that {@code actor} did {@code action} to {@code subject} in {@code tenantId}.
   *
   * @param details facts about the change, never a secret; null for none
   */
  default void record(
      String tenantId, String actor, AuditAction action, String subject, JsonNode details) {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an audit entry names who made the change");
    }
    auditInsert(
        Objects.requireNonNull(tenantId, "tenantId"),
        actor,
        action.wireName(),
        Objects.requireNonNull(subject, "subject"),
        details == null ? Json.MAPPER.createObjectNode() : details);
  }

  @SqlUpdate
  void auditInsert(
      @Bind("tenantId") String tenantId,
      @Bind("actor") String actor,
      @Bind("action") String action,
      @Bind("subject") String subject,
      @Bind("details") JsonNode details);

  /**
   * Up to {@code limit} of {@code tenantId}'s entries, newest first by {@code (at, id)}: after the
   * position {@code (afterAt, afterId)}, or from the newest when {@code afterAt} is null.
   */
  @SqlQuery
  List<AuditEntry> auditList(
      @Bind("tenantId") String tenantId,
      @Bind("afterAt") Instant afterAt,
      @Bind("afterId") Long afterId,
      @Bind("limit") int limit);
}
