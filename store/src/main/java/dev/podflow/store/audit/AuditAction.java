package dev.podflow.store.audit;

/**
 * What an {@link AuditEntry} records; the wire names are the only values {@code audit_log.action}
 * takes (its CHECK, V14, widened by V16, V24, V26 and V28).
 */
public enum AuditAction {
  DEFINITION_PUBLISHED("definition.published"),
  AGENT_CREATED("agent.created"),
  AGENT_UPDATED("agent.updated"),
  KEY_CREATED("key.created"),
  KEY_REVOKED("key.revoked"),
  MCP_SERVER_CREATED("mcp_server.created"),
  MCP_SERVER_UPDATED("mcp_server.updated"),
  MCP_SERVER_DELETED("mcp_server.deleted"),
  /** A secret stored or replaced; its entry never holds the value. */
  SECRET_PUT("secret.put"),
  SECRET_DELETED("secret.deleted"),
  /** An admin taught an agent knowledge ({@code POST /api/v1/agents/{id}/knowledge}). */
  MEMORY_KNOWLEDGE_ADDED("memory.knowledge_added"),
  MEMORY_DELETED("memory.deleted"),
  /** A user's memory made the whole agent's. */
  MEMORY_PROMOTED("memory.promoted"),
  /** An admin added a document for agents to recall from ({@code POST /api/v1/documents}). */
  DOCUMENT_ADDED("document.added"),
  DOCUMENT_DELETED("document.deleted"),
  /** A user's email address or display name set ({@code PUT /api/v1/users/{id}}). */
  USER_UPDATED("user.updated"),
  /** A device registered for a user, or moved to it from whoever had its token. */
  DEVICE_REGISTERED("device.registered"),
  DEVICE_DELETED("device.deleted");

  private final String wireName;

  AuditAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
