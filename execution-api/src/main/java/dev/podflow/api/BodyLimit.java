package dev.podflow.api;

/**
 * How large a JSON body each route takes, below the server-wide {@link JettyErrors#MAX_BODY_BYTES}
 * that Jetty enforces before any route runs: a definition may be large, a start's input or a task's
 * answer less so, and an agent or a cancel's reason is small. A larger body is refused with 413
 * {@code request-too-large} before it is parsed.
 */
enum BodyLimit {
  /** {@code POST /api/v1/definitions}: a whole process definition. */
  DEFINITION(JettyErrors.MAX_BODY_BYTES),
  /** {@code POST /api/v1/processes}: a start and its input. */
  START(256_000),
  /** {@code POST /api/v1/tasks/{id}/complete}: a person's answer. */
  ANSWER(256_000),
  /** {@code POST /api/v1/agents}: an agent profile. */
  AGENT(64_000),
  /** {@code POST /api/v1/mcp-servers} and {@code PATCH …/{name}}: an MCP server. */
  MCP_SERVER(64_000),
  /** {@code POST /mcp}: one JSON-RPC message, as large as a start or an answer it may carry. */
  MCP_MESSAGE(256_000),
  /** {@code POST /webhooks/a2a/{taskId}}: a peer's push (a task), never read. */
  WEBHOOK(256_000),
  /** {@code PUT /api/v1/secrets/{name}}: one secret's value. */
  SECRET(16_000),
  /** {@code POST /api/v1/processes/{id}/cancel} and {@code …/retry}: nothing, or {@code {}}. */
  COMMAND(4_000),
  /**
   * {@code POST /api/v1/tasks/{id}/feedback} and {@code POST /api/v1/agents/{id}/knowledge}: a text
   * of up to 8,000 characters, escaped.
   */
  MEMORY(64_000);

  private final long maxBytes;

  BodyLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }
}
