package dev.podflow.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.store.Json;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.memory.Document;
import dev.podflow.store.memory.DocumentDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents agents recall from (issue 15). {@code POST /api/v1/documents} (admin: a document shapes
 * every user's answers, like knowledge) queues a text or Markdown document, for every agent of the
 * tenant or for one ({@code agentId}), and answers 202: a pod chunks and embeds it (QUEUED →
 * EMBEDDING → READY, or FAILED with the error after its attempts). {@code GET /api/v1/documents}
 * (operator) lists them newest first (a {@link Page}), {@code GET …/{id}} shows one's progress
 * ({@code chunks}, {@code chunksEmbedded}); neither returns the content. {@code DELETE …/{id}}
 * (admin) removes one with its chunks. Every route sees the caller's tenant only (row-level
 * security, and each statement names the tenant): another tenant's document answers 404 as an
 * unknown id does. Adding and deleting are recorded in the audit log in the same transaction.
 */
final class DocumentRoutes {
  static final String DOCUMENTS = "/api/v1/documents";
  static final String DOCUMENT = DOCUMENTS + "/{id}";

  static final int TITLE_LIMIT = 200;
  static final int TEXT_LIMIT = 1_000_000;

  /** The longest agent id ({@code AgentRoutes}' pattern). */
  private static final int AGENT_ID_LIMIT = 64;

  private static final String PLAIN = "text/plain";
  private static final Set<String> MEDIA_TYPES = Set.of(PLAIN, "text/markdown");
  private static final Set<String> FIELDS = Set.of("title", "text", "mediaType", "agentId");
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRoutes.class);

  private final Jdbi jdbi;

  DocumentRoutes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A page of the tenant's documents, newest first. */
  record DocumentList(List<Document> documents, String next) {}

  void register(RoutesConfig routes) {
    routes.post(DOCUMENTS, this::add, Access.ADMIN);
    routes.get(DOCUMENTS, this::list, Access.OPERATOR);
    routes.get(DOCUMENT, this::get, Access.OPERATOR);
    routes.delete(DOCUMENT, this::delete, Access.ADMIN);
  }

  private void add(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    ObjectNode body = JsonBody.object(ctx, BodyLimit.DOCUMENT);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, FIELDS, errors);
    String title = BodyFields.text(body, "title", true, TITLE_LIMIT, errors);
    String text = BodyFields.text(body, "text", true, TEXT_LIMIT, errors);
    String mediaType = BodyFields.text(body, "mediaType", false, Integer.MAX_VALUE, errors);
    if (mediaType != null && !MEDIA_TYPES.contains(mediaType)) {
      errors.add(
          new Problems.FieldError(
              "/mediaType", "must be one of " + MEDIA_TYPES.stream().sorted().toList()));
    }
    String agentId = BodyFields.text(body, "agentId", false, AGENT_ID_LIMIT, errors);
    if (!errors.isEmpty()) {
      throw new InvalidBodyException(ProblemType.INVALID_DOCUMENT, "document", errors);
    }
    String type = mediaType == null ? PLAIN : mediaType;
    Document added =
        jdbi.inTransaction(
            h -> {
              if (agentId != null
                  && h.attach(AgentDao.class).agentGet(tenantId, agentId).isEmpty()) {
                throw new InvalidBodyException(
                    ProblemType.INVALID_DOCUMENT,
                    "document",
                    "/agentId",
                    "no agent "
                        + Problems.echo(agentId)
                        + " in this tenant; leave agentId out for every agent");
              }
              Document document =
                  h.attach(DocumentDao.class)
                      .documentInsert(
                          tenantId, agentId, title.strip(), type, text, principal.actor());
              h.attach(AuditDao.class)
                  .record(
                      tenantId,
                      principal.actor(),
                      AuditAction.DOCUMENT_ADDED,
                      Long.toString(document.id()),
                      Json.object()
                          .put("title", document.title())
                          .put("mediaType", type)
                          .put("agentId", agentId)
                          .put("characters", text.length()));
              return document;
            });
    LOG.info(
        "execution-api - document {} ({} characters) queued for tenant {}",
        added.id(),
        text.length(),
        tenantId);
    ctx.status(HttpStatus.ACCEPTED).header("Location", DOCUMENTS + "/" + added.id()).json(added);
  }

  private void list(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<Long> page = Page.of(ctx, "documents", Long::valueOf);
    List<Document> fetched =
        jdbi.withExtension(
            DocumentDao.class,
            dao ->
                dao.documentList(tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<Document> slice =
        page.slice(fetched, document -> new Cursor<>(document.createdAt(), document.id()));
    ctx.json(new DocumentList(slice.items(), slice.next()));
  }

  private void get(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    long id = documentId(ctx);
    Document document =
        jdbi.withExtension(DocumentDao.class, dao -> dao.documentGet(tenantId, id))
            .orElseThrow(() -> documentNotFound(id));
    ctx.json(document);
  }

  /**
   * Deletes the document whatever its status, its chunks with it (ON DELETE CASCADE), so agents
   * stop recalling it at once. Safe while a pod embeds it: the pod's next write is fenced on the
   * document's row ({@code DocumentDao.documentProgress}), finds none and stops, and a write under
   * way holds the row until it commits, so its chunks are deleted with the rest.
   */
  private void delete(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    long id = documentId(ctx);
    Document deleted =
        jdbi.inTransaction(
            h -> {
              Document document =
                  h.attach(DocumentDao.class)
                      .documentDelete(tenantId, id)
                      .orElseThrow(() -> documentNotFound(id));
              h.attach(AuditDao.class)
                  .record(
                      tenantId,
                      principal.actor(),
                      AuditAction.DOCUMENT_DELETED,
                      Long.toString(id),
                      Json.object()
                          .put("title", document.title())
                          .put("status", document.status()));
              return document;
            });
    LOG.info(
        "execution-api - deleted document {} ({}) of tenant {}", id, deleted.status(), tenantId);
    NoContent.answer(ctx);
  }

  private static long documentId(Context ctx) {
    return QueryParams.id("the document id", "document", ctx.pathParam("id"));
  }

  private static ProblemException documentNotFound(long id) {
    return ProblemException.notFound(ProblemType.DOCUMENT_NOT_FOUND, "document", Long.toString(id));
  }
}
