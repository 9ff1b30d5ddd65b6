package dev.podflow.api;

/**
 * How large a JSON body each route takes, up to the server-wide {@link JettyErrors#MAX_BODY_BYTES}
 * that Jetty enforces before any route runs: a document is the largest, a definition may be large,
 * a start's input or a task's answer less so, and an agent or a cancel's reason is small. A larger
 * body is refused with 413 {@code request-too-large} before it is parsed. Strings in a body are at
 * most {@link JsonBody#MAX_STRING_CHARS} characters, the most the store reads back from JSON,
 * except in a document, whose text is stored as text.
 */
enum BodyLimit {
  /**
   * {@code POST /api/v1/documents}: a text of up to 1,000,000 characters (3 bytes each in UTF-8 for
   * Korean), escaped; its strings as long as the body.
   */
  DOCUMENT(JettyErrors.MAX_BODY_BYTES, (int) JettyErrors.MAX_BODY_BYTES),
  /** {@code POST /api/v1/definitions}: a whole process definition. */
  DEFINITION(1_000_000),
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
  MEMORY(64_000),
  /** {@code PUT /api/v1/users/{id}}: an email address and a display name. */
  PROFILE(4_000),
  /** {@code POST /api/v1/users/{id}/devices}: a token of up to 4,096 characters and a platform. */
  DEVICE(16_000);

  private final long maxBytes;
  private final int maxStringChars;

  BodyLimit(long maxBytes) {
    this(maxBytes, JsonBody.MAX_STRING_CHARS);
  }

  BodyLimit(long maxBytes, int maxStringChars) {
    this.maxBytes = maxBytes;
    this.maxStringChars = maxStringChars;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The longest string (or key) the body may hold. */
  int maxStringChars() {
    return maxStringChars;
  }
}
