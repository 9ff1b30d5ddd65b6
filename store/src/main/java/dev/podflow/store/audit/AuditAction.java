package dev.podflow.store.audit;

/**
 * What an {@link AuditEntry} records; the wire names are the only values {@code audit_log.action}
 * takes (its CHECK, V14).
 */
public enum AuditAction {
  DEFINITION_PUBLISHED("definition.published"),
  AGENT_CREATED("agent.created"),
  AGENT_UPDATED("agent.updated"),
  KEY_CREATED("key.created"),
  KEY_REVOKED("key.revoked");

  private final String wireName;

  AuditAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
