package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AccessDeniedException;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.memory.MemoryStore;
import dev.podflow.memory.RecallProfile;
import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.EmbeddingFailedException;
import dev.podflow.store.Json;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.auth.Role;
import dev.podflow.store.memory.Memory;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.memory.RecalledMemory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What agents learn, through the API (issue 15); feedback on tasks is {@link FeedbackRoutes}'s.
 * {@code POST /api/v1/agents/{id}/knowledge} (admin) adds {@code knowledge} for the whole agent.
 * {@code GET /api/v1/agents/{id}/memories} lists them newest first (a {@link Page}); with {@code
 * query} it answers what the agent would recall for that text instead: the caller's own memories
 * and the whole agent's for a {@code user}; the whole agent's for an operator or admin, plus those
 * of {@code user=} if given, in every definition (memories of one definition only are not
 * searched). {@code DELETE …/memories/{memoryId}} removes one (a {@code user}: only its own),
 * {@code POST …/memories/{memoryId}/promote} (operator) makes a user's the whole agent's.
 *
 * <p>Rows are written without an embedding; the pods embed them (about a second). The API embeds
 * only a search's query, with the embedder made on first use (so starting the API loads no model).
 */
final class MemoryRoutes {
  static final String KNOWLEDGE = AgentRoutes.AGENT + "/knowledge";
  static final String MEMORIES = AgentRoutes.AGENT + "/memories";
  static final String MEMORY = MEMORIES + "/{memoryId}";
  static final String PROMOTE = MEMORY + "/promote";

  /** The longest memory {@code memories.content} takes (its CHECK). */
  static final int CONTENT_LIMIT = 8_000;

  static final int QUERY_LIMIT = 2_000;
  static final int RECALL_LIMIT = 10;

  private static final Logger LOG = LoggerFactory.getLogger(MemoryRoutes.class);

  private final Jdbi jdbi;
  private final Embedder embedder;
  private volatile MemoryStore store;

  MemoryRoutes(Jdbi jdbi, Embedder embedder) {
    this.jdbi = jdbi;
    this.embedder = embedder;
  }

  /** Knowledge just added: not embedded yet. */
  record KnowledgeView(long id, String agentId, String source, String content, boolean embedded) {}

  /** A page of an agent's memories, newest first. */
  record MemoryList(List<Memory> memories, String next) {}

  /** What a search recalls, best first. */
  record RecallList(List<RecalledMemory> memories) {}

  void register(RoutesConfig routes) {
    routes.post(KNOWLEDGE, this::knowledge, Access.ADMIN);
    routes.get(MEMORIES, this::list, Access.USER);
    routes.delete(MEMORY, this::delete, Access.USER);
    routes.post(PROMOTE, this::promote, Access.OPERATOR);
  }

  private void knowledge(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    String agentId = ctx.pathParam("id");
    jdbi.useHandle(h -> requireAgent(h, tenantId, agentId));
    ObjectNode body = JsonBody.object(ctx, BodyLimit.MEMORY);
    List<Problems.FieldError> errors = new ArrayList<>();
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("text")) {
        errors.add(new Problems.FieldError("/" + field, "is not a known field; known: [text]"));
      }
    }
    JsonNode textNode = body.get("text");
    if (textNode == null || !textNode.isTextual() || textNode.asText().isBlank()) {
      errors.add(new Problems.FieldError("/text", "is required: a non-blank string"));
    } else if (textNode.asText().length() > CONTENT_LIMIT) {
      errors.add(
          new Problems.FieldError("/text", "must be at most " + CONTENT_LIMIT + " characters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidBodyException(ProblemType.INVALID_MEMORY, "knowledge", errors);
    }
    String text = textNode.asText().strip();
    long id =
        jdbi.inTransaction(
            h -> {
              requireAgent(h, tenantId, agentId);
              long memoryId =
                  h.attach(MemoryDao.class)
                      .memoryInsert(
                          tenantId,
                          agentId,
                          null,
                          null,
                          "knowledge",
                          text,
                          null,
                          principal.actor());
              h.attach(AuditDao.class)
                  .record(
                      tenantId,
                      principal.actor(),
                      AuditAction.MEMORY_KNOWLEDGE_ADDED,
                      agentId,
                      Json.object().put("memoryId", memoryId));
              return memoryId;
            });
    LOG.info("execution-api - knowledge {} for agent {} of tenant {}", id, agentId, tenantId);
    ctx.status(HttpStatus.CREATED)
        .header("Location", MEMORIES.replace("{id}", agentId) + "/" + id)
        .json(new KnowledgeView(id, agentId, "knowledge", text, false));
  }

  private void list(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    String agentId = ctx.pathParam("id");
    boolean everyUser = principal.role().includes(Role.OPERATOR);
    String query = ctx.queryParam("query");
    String asked = QueryParams.text("user", ctx.queryParam("user"));
    jdbi.useHandle(h -> requireAgent(h, tenantId, agentId));
    if (query == null) {
      if (asked != null) {
        throw new InvalidRequestException(
            "user is taken with query only (whose memories a search also recalls)");
      }
      Page<Long> page = Page.of(ctx, "memories", Long::valueOf);
      List<Memory> fetched =
          jdbi.withExtension(
              MemoryDao.class,
              dao ->
                  dao.memoryList(
                      tenantId,
                      agentId,
                      everyUser,
                      principal.user(),
                      page.afterCreatedAt(),
                      page.afterKey(),
                      page.fetch()));
      Page.Slice<Memory> slice =
          page.slice(fetched, memory -> new Cursor<>(memory.createdAt(), memory.id()));
      ctx.json(new MemoryList(slice.items(), slice.next()));
      return;
    }
    if (ctx.queryParam("limit") != null || ctx.queryParam("cursor") != null) {
      throw new InvalidRequestException(
          "a search answers the " + RECALL_LIMIT + " best memories; leave limit and cursor out");
    }
    if (query.isBlank() || query.length() > QUERY_LIMIT) {
      throw new InvalidRequestException(
          "query must be a non-blank text of at most " + QUERY_LIMIT + " characters");
    }
    String userId;
    if (everyUser) {
      userId = asked;
    } else {
      if (asked != null && !asked.equals(principal.user())) {
        throw new AccessDeniedException(
            "a user searches only its own and the whole agent's memories: leave user out");
      }
      userId = principal.user();
    }
    MemoryStore memories = store();
    float[] vector;
    try {
      vector = memories.embed(query);
    } catch (EmbeddingFailedException e) {
      LOG.warn("execution-api - embedding a memory search failed: {}", e.getMessage());
      throw new ProblemException(
          ProblemType.EMBEDDING_UNAVAILABLE,
          "the embedding model did not answer the search ("
              + e.getMessage()
              + "); try again, and if it persists the operator checks PODFLOW_EMBEDDING_*");
    }
    List<RecalledMemory> recalled =
        memories.recall(
            tenantId, agentId, userId, null, RecallProfile.SOURCES, vector, RECALL_LIMIT, 0);
    ctx.json(new RecallList(recalled));
  }

  private void delete(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    String agentId = ctx.pathParam("id");
    long memoryId = memoryId(ctx);
    boolean everyUser = principal.role().includes(Role.OPERATOR);
    jdbi.useTransaction(
        h -> {
          requireAgent(h, tenantId, agentId);
          // A user deletes only its own; without a user name, nothing.
          boolean deleted =
              (everyUser || principal.user() != null)
                  && h.attach(MemoryDao.class)
                      .memoryDelete(
                          tenantId, agentId, memoryId, everyUser ? null : principal.user());
          if (!deleted) throw memoryNotFound(memoryId);
          h.attach(AuditDao.class)
              .record(
                  tenantId,
                  principal.actor(),
                  AuditAction.MEMORY_DELETED,
                  agentId,
                  Json.object().put("memoryId", memoryId));
        });
    LOG.info(
        "execution-api - deleted memory {} of agent {} of tenant {}", memoryId, agentId, tenantId);
    NoContent.answer(ctx);
  }

  private void promote(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    String agentId = ctx.pathParam("id");
    long memoryId = memoryId(ctx);
    Memory promoted =
        jdbi.inTransaction(
            h -> {
              requireAgent(h, tenantId, agentId);
              MemoryDao dao = h.attach(MemoryDao.class);
              Memory before =
                  dao.memoryGet(tenantId, agentId, memoryId)
                      .orElseThrow(() -> memoryNotFound(memoryId));
              Memory after = dao.memoryPromote(tenantId, agentId, memoryId).orElseThrow();
              h.attach(AuditDao.class)
                  .record(
                      tenantId,
                      principal.actor(),
                      AuditAction.MEMORY_PROMOTED,
                      agentId,
                      Json.object().put("memoryId", memoryId).put("fromUser", before.userId()));
              return after;
            });
    LOG.info(
        "execution-api - promoted memory {} of agent {} of tenant {} to the whole agent",
        memoryId,
        agentId,
        tenantId);
    ctx.json(promoted);
  }

  private static void requireAgent(Handle h, String tenantId, String agentId) {
    if (h.attach(AgentDao.class).agentGet(tenantId, agentId).isEmpty()) {
      throw ProblemException.notFound(ProblemType.AGENT_NOT_FOUND, "agent", agentId);
    }
  }

  private static long memoryId(Context ctx) {
    return QueryParams.id("the memory id", "memory", ctx.pathParam("memoryId"));
  }

  private static ProblemException memoryNotFound(long memoryId) {
    return ProblemException.notFound(
        ProblemType.MEMORY_NOT_FOUND, "memory", Long.toString(memoryId));
  }

  /**
   * Opened on the first search, so starting the API neither loads a model nor asks the database.
   */
  private MemoryStore store() {
    MemoryStore opened = store;
    if (opened == null) {
      synchronized (this) {
        opened = store;
        if (opened == null) {
          opened = MemoryStore.open(jdbi, embedder);
          store = opened;
        }
      }
    }
    return opened;
  }
}
