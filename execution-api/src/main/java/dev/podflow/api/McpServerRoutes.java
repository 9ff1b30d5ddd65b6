package dev.podflow.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.mcp.McpAdmission;
import dev.podflow.store.Json;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.mcp.McpServer;
import dev.podflow.store.mcp.McpServerDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/mcp-servers}, for a tenant's admins: register an MCP server (201), change it or
 * switch it off and on (PATCH, 200), remove it (204), read one, list them with the names the
 * operator's catalogue offers the tenant. The pods read a tenant's servers at every tool call, so a
 * change counts from the next call on, with no restart.
 *
 * <p>A server is refused (422 {@code invalid-mcp-server}, each error at its field) unless its
 * command is on the stdio allowlist or its URL passes the outbound guard ({@link McpAdmission}),
 * and unless every {@code env} or {@code headers} value whose name looks like a credential
 * references the tenant's secret store ({@code ${NAME}}) instead of holding it: so nothing stored
 * here, and nothing this API answers, is a secret. A name the catalogue offers the tenant, or one
 * the tenant has, is 409 {@code mcp-server-exists}. Every change is in the tenant's audit log.
 */
final class McpServerRoutes {
  static final String SERVERS = "/api/v1/mcp-servers";
  static final String SERVER = SERVERS + "/{name}";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private static final Set<String> FIELDS =
      Set.of("name", "command", "args", "env", "url", "headers", "enabled");

  private static final Logger LOG = LoggerFactory.getLogger(McpServerRoutes.class);

  private final Jdbi jdbi;
  private final McpAdmission admission;

  McpServerRoutes(Jdbi jdbi, McpAdmission admission) {
    this.jdbi = jdbi;
    this.admission = admission;
  }

  /** A server as the API shows it: the fields of its transport only. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record McpServerView(
      String name,
      String transport,
      String command,
      JsonNode args,
      JsonNode env,
      String url,
      JsonNode headers,
      boolean enabled,
      String createdBy,
      Instant createdAt,
      Instant updatedAt) {
    static McpServerView of(McpServer server) {
      return new McpServerView(
          server.name(),
          server.isStdio() ? "stdio" : "http",
          server.command(),
          server.args(),
          server.env(),
          server.url(),
          server.headers(),
          server.enabled(),
          server.createdBy(),
          server.createdAt(),
          server.updatedAt());
    }
  }

  /**
   * A page of the tenant's servers, newest first, and the names of the operator's servers offered
   * to the tenant ({@code PODFLOW_MCP_CONFIG}), which agents may name too.
   */
  record McpServerList(List<McpServerView> servers, String next, List<String> catalogue) {}

  void register(RoutesConfig routes) {
    routes.post(SERVERS, this::create, Access.ADMIN);
    routes.get(SERVERS, this::list, Access.ADMIN);
    routes.get(SERVER, this::get, Access.ADMIN);
    routes.patch(SERVER, this::update, Access.ADMIN);
    routes.delete(SERVER, this::delete, Access.ADMIN);
  }

  private void create(Context ctx) {
    ObjectNode body = JsonBody.object(ctx, BodyLimit.MCP_SERVER);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, FIELDS, errors);
    String name = BodyFields.text(body, "name", true, 32, errors);
    if (name != null && !NAME.matcher(name).matches()) {
      errors.add(
          new Problems.FieldError(
              "/name",
              "must be 1-32 lower-case letters, digits or '-', starting with a letter or digit"));
    }
    McpServerBody.Fields fields =
        McpServerBody.check(admission, name == null ? "server" : name, body, errors);
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    if (name != null && admission.catalogueOffers(tenantId, name)) {
      throw new ProblemException(
          ProblemType.MCP_SERVER_EXISTS,
          "the operator's catalogue (PODFLOW_MCP_CONFIG) already offers this tenant a server named "
              + Problems.echo(name)
              + "; choose another name");
    }
    McpServer stored =
        jdbi.inTransaction(
            h -> {
              McpServer server =
                  h.attach(McpServerDao.class)
                      .mcpServerInsert(
                          tenantId,
                          name,
                          fields.command(),
                          fields.args(),
                          fields.env(),
                          fields.url(),
                          fields.headers(),
                          fields.enabled(),
                          principal.actor())
                      .orElseThrow(
                          () ->
                              new ProblemException(
                                  ProblemType.MCP_SERVER_EXISTS,
                                  "this tenant already has an MCP server named "
                                      + Problems.echo(name)
                                      + "; change it with PATCH "
                                      + SERVERS
                                      + "/"
                                      + name));
              audit(h, principal, AuditAction.MCP_SERVER_CREATED, server);
              return server;
            });
    LOG.info("execution-api - registered MCP server {} of tenant {}", name, tenantId);
    ctx.status(HttpStatus.CREATED)
        .header("Location", SERVERS + "/" + name)
        .json(McpServerView.of(stored));
  }

  /**
   * Changes the fields the body gives, keeping the others; giving {@code command} to an HTTP server
   * (or {@code url} to a stdio one) switches its transport and drops the other transport's fields.
   * The result is checked as a new server would be.
   */
  private void update(Context ctx) {
    String name = ctx.pathParam("name");
    ObjectNode body = JsonBody.object(ctx, BodyLimit.MCP_SERVER);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, FIELDS, errors);
    JsonNode renamed = body.get("name");
    if (renamed != null && !renamed.asText().equals(name)) {
      errors.add(
          new Problems.FieldError("/name", "cannot be changed; register a server of that name"));
    }
    if (!errors.isEmpty()) throw invalid(errors);
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    McpServer updated =
        jdbi.inTransaction(
            h -> {
              McpServerDao servers = h.attach(McpServerDao.class);
              McpServer current =
                  servers.mcpServerGetForUpdate(tenantId, name).orElseThrow(() -> notFound(name));
              McpServerBody.Fields fields =
                  McpServerBody.check(admission, name, McpServerBody.merged(current, body), errors);
              McpServer server =
                  servers
                      .mcpServerUpdate(
                          tenantId,
                          name,
                          fields.command(),
                          fields.args(),
                          fields.env(),
                          fields.url(),
                          fields.headers(),
                          fields.enabled())
                      .orElseThrow();
              audit(h, principal, AuditAction.MCP_SERVER_UPDATED, server);
              return server;
            });
    LOG.info(
        "execution-api - changed MCP server {} of tenant {} (enabled: {})",
        name,
        tenantId,
        updated.enabled());
    ctx.json(McpServerView.of(updated));
  }

  private void delete(Context ctx) {
    String name = ctx.pathParam("name");
    Principal principal = AuthGuard.principal(ctx);
    jdbi.useTransaction(
        h -> {
          McpServerDao servers = h.attach(McpServerDao.class);
          McpServer server =
              servers
                  .mcpServerGetForUpdate(principal.tenantId(), name)
                  .orElseThrow(() -> notFound(name));
          servers.mcpServerDelete(principal.tenantId(), name);
          audit(h, principal, AuditAction.MCP_SERVER_DELETED, server);
        });
    LOG.info("execution-api - removed MCP server {} of tenant {}", name, principal.tenantId());
    NoContent.answer(ctx);
  }

  private void get(Context ctx) {
    String name = ctx.pathParam("name");
    String tenantId = AuthGuard.principal(ctx).tenantId();
    McpServer server =
        jdbi.withExtension(McpServerDao.class, dao -> dao.mcpServerGet(tenantId, name))
            .orElseThrow(() -> notFound(name));
    ctx.json(McpServerView.of(server));
  }

  private void list(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<String> page = Page.of(ctx, "mcp-servers", key -> key);
    List<McpServer> fetched =
        jdbi.withExtension(
            McpServerDao.class,
            dao ->
                dao.mcpServerList(tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<McpServer> slice =
        page.slice(fetched, server -> new Cursor<>(server.createdAt(), server.name()));
    ctx.json(
        new McpServerList(
            slice.items().stream().map(McpServerView::of).toList(),
            slice.next(),
            admission.offeredBy(tenantId)));
  }

  private static void audit(Handle h, Principal principal, AuditAction action, McpServer server) {
    ObjectNode details = Json.MAPPER.createObjectNode();
    details.put("transport", server.isStdio() ? "stdio" : "http");
    details.put("enabled", server.enabled());
    h.attach(AuditDao.class)
        .record(principal.tenantId(), principal.actor(), action, server.name(), details);
  }

  private static InvalidBodyException invalid(List<Problems.FieldError> errors) {
    return McpServerBody.invalid(errors);
  }

  private static ProblemException notFound(String name) {
    return ProblemException.notFound(ProblemType.MCP_SERVER_NOT_FOUND, "MCP server", name);
  }
}
