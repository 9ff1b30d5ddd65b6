package dev.podflow.api;

import java.net.URI;

/**
 * The kinds of failure the API reports, one RFC 9457 {@code type} URI each. Clients match on the
 * URI, so a slug never changes once published.
 */
enum ProblemType {
  BAD_HTTP_REQUEST(400, "bad-http-request", "Bad HTTP request"),
  MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
  INVALID_REQUEST(400, "invalid-request", "Invalid request"),
  UNSTORABLE_JSON(422, "unstorable-json", "JSON value cannot be stored"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  INVALID_DEFINITION(422, "invalid-definition", "Invalid process definition"),
  UNKNOWN_DEFINITION(422, "unknown-definition", "Unknown process definition"),
  INVALID_AGENT(422, "invalid-agent", "Invalid agent profile"),
  AGENT_NOT_FOUND(404, "agent-not-found", "Agent not found"),
  INVALID_MCP_SERVER(422, "invalid-mcp-server", "Invalid MCP server"),
  MCP_SERVER_NOT_FOUND(404, "mcp-server-not-found", "MCP server not found"),
  MCP_SERVER_EXISTS(409, "mcp-server-exists", "MCP server name taken"),
  INVALID_FEEDBACK(422, "invalid-feedback", "Invalid feedback"),
  INVALID_MEMORY(422, "invalid-memory", "Invalid memory"),
  MEMORY_NOT_FOUND(404, "memory-not-found", "Memory not found"),
  INVALID_DOCUMENT(422, "invalid-document", "Invalid document"),
  DOCUMENT_NOT_FOUND(404, "document-not-found", "Document not found"),
  INVALID_USER(422, "invalid-user", "Invalid user profile"),
  USER_NOT_FOUND(404, "user-not-found", "User not found"),
  INVALID_DEVICE(422, "invalid-device", "Invalid device"),
  DEVICE_NOT_FOUND(404, "device-not-found", "Device not found"),
  NOTIFICATION_NOT_FOUND(404, "notification-not-found", "Notification not found"),
  EMBEDDING_UNAVAILABLE(503, "embedding-unavailable", "Embedding model unavailable"),
  SECRET_NOT_FOUND(404, "secret-not-found", "Secret not found"),
  SECRETS_UNAVAILABLE(503, "secrets-unavailable", "Secret store not configured"),
  WEBHOOK_NOT_FOUND(404, "webhook-not-found", "Nothing waits for this push"),
  A2A_AGENT_NOT_FOUND(404, "a2a-agent-not-found", "A2A agent not found"),
  DEFINITION_NOT_FOUND(404, "definition-not-found", "Process definition not found"),
  PROCESS_NOT_FOUND(404, "process-not-found", "Process instance not found"),
  TASK_NOT_FOUND(404, "task-not-found", "Task not found"),
  TASK_NOT_WAITING(409, "task-not-waiting", "Task is not waiting for an answer"),
  INVALID_TASK_OUTPUT(422, "invalid-task-output", "Answer does not fit the task's form"),
  INVALID_PROCESS_INPUT(
      422, "invalid-process-input", "Input does not fit the definition's inputSchema"),
  ROUTE_NOT_FOUND(404, "route-not-found", "No such route"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  IDEMPOTENCY_KEY_REUSED(409, "idempotency-key-reused", "Idempotency key reused"),
  PROCESS_NOT_CANCELLABLE(409, "process-not-cancellable", "Process cannot be cancelled"),
  PROCESS_NOT_RETRYABLE(409, "process-not-retryable", "Process cannot be retried"),
  REQUEST_TOO_LARGE(413, "request-too-large", "Request too large"),
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  HEADERS_TOO_LARGE(431, "request-headers-too-large", "Request header fields too large"),
  NOT_READY(503, "not-ready", "Not ready"),
  DATABASE_UNAVAILABLE(503, "database-unavailable", "Database unavailable"),
  INTERNAL_ERROR(500, "internal-error", "Internal server error");

  static final String BASE = "https://podflow.dev/problems/";

  private final int status;
  private final URI type;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.type = URI.create(BASE + slug);
    this.title = title;
  }

  int status() {
    return status;
  }

  URI type() {
    return type;
  }

  String title() {
    return title;
  }
}
