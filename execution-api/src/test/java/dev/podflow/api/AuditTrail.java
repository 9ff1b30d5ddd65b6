package dev.podflow.api;

import dev.podflow.store.Database;
import dev.podflow.store.Json;
import java.util.List;

/** The audit log as tests read it. */
final class AuditTrail {
  private AuditTrail() {}

  /**
   * The entries whose action is LIKE {@code actions} ({@code device.%}), oldest first, each as
   * {@code action subject details}, the details as compact JSON (jsonb orders their keys).
   */
  static List<String> of(Database db, String actions) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT action, subject, details::text AS details FROM audit_log"
                            + " WHERE action LIKE :actions ORDER BY id")
                    .bind("actions", actions)
                    .map(
                        (rs, ctx) ->
                            rs.getString("action")
                                + " "
                                + rs.getString("subject")
                                + " "
                                + Json.parse(rs.getString("details")))
                    .list());
  }
}
