package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.memory.RecallProfile;
import dev.podflow.outbound.HttpUrls;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.agent.ToolRef;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.audit.AuditEntry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/agents}: store an agent profile (201 when new, 200 when it replaced the profile
 * with that id), read one back, list them (a {@link Page}). Every route works on the caller's
 * tenant's agents: another tenant's answer 404 {@code agent-not-found}, as an unknown id does, and
 * are missing from the list; storing an id another tenant uses stores this tenant's own profile.
 * Storing a profile records {@code agent.created} or {@code agent.updated} in the tenant's audit
 * log, in the same transaction.
 */
final class AgentRoutes {
  static final String AGENTS = "/api/v1/agents";
  static final String AGENT = AGENTS + "/{id}";

  /**
   * The tenant's audit log: changes to definitions, agents and keys. Served here, beside the
   * agents, so the API registers one route class fewer.
   */
  static final String AUDIT = "/api/v1/audit";

  static final String DEFAULT_ORCHESTRATOR = "llm-action";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Set<String> FIELDS =
      Set.of(
          "id",
          "name",
          "persona",
          "instructions",
          "model",
          "tools",
          "orchestrator",
          "a2a",
          "memory");
  private static final Set<String> PEER_FIELDS = Set.of("agentCardUrl", "credentials");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final int NAME_LIMIT = 200;
  private static final int TEXT_LIMIT = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(AgentRoutes.class);

  private final Jdbi jdbi;

  AgentRoutes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A page of agent profiles, newest first. */
  record AgentList(List<Agent> agents, String next) {}

  /** A page of audit entries, newest first. */
  record AuditList(List<AuditEntry> entries, String next) {}

  void register(RoutesConfig routes) {
    routes.post(AGENTS, this::upsert, Access.ADMIN);
    routes.get(AGENTS, this::list, Access.OPERATOR);
    routes.get(AGENT, this::get, Access.OPERATOR);
    routes.get(AUDIT, this::audit, Access.ADMIN);
  }

  private void upsert(Context ctx) {
    ObjectNode body = JsonBody.object(ctx, BodyLimit.AGENT);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, FIELDS, errors);
    String id = BodyFields.text(body, "id", true, 64, errors);
    if (id != null && !ID.matcher(id).matches()) {
      errors.add(
          new Problems.FieldError(
              "/id",
              "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"));
    }
    String name = BodyFields.text(body, "name", true, NAME_LIMIT, errors);
    String persona = BodyFields.text(body, "persona", false, TEXT_LIMIT, errors);
    String instructions = BodyFields.text(body, "instructions", false, TEXT_LIMIT, errors);
    String model = BodyFields.text(body, "model", false, NAME_LIMIT, errors);
    String orchestrator = BodyFields.text(body, "orchestrator", false, NAME_LIMIT, errors);
    ArrayNode tools = tools(body.get("tools"), errors);
    JsonNode peer = peer(body.get("a2a"), errors);
    JsonNode memory = recallProfile(body.get("memory"), errors);
    if (!errors.isEmpty())
      throw new InvalidBodyException(ProblemType.INVALID_AGENT, "agent", errors);

    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    Agent stored =
        jdbi.inTransaction(
            h -> {
              AgentDao agents = h.attach(AgentDao.class);
              boolean created =
                  agents.agentUpsert(
                      tenantId,
                      id,
                      name,
                      persona == null ? "" : persona,
                      instructions == null ? "" : instructions,
                      model,
                      tools,
                      orchestrator == null ? DEFAULT_ORCHESTRATOR : orchestrator,
                      peer,
                      memory);
              Agent agent = agents.agentGet(tenantId, id).orElseThrow();
              // In the upsert's transaction: the profile never changes without its entry.
              ObjectNode details = Json.MAPPER.createObjectNode();
              details.put("name", agent.name());
              details.put("model", agent.model());
              details.put("orchestrator", agent.orchestrator());
              h.attach(AuditDao.class)
                  .record(
                      tenantId,
                      principal.actor(),
                      created ? AuditAction.AGENT_CREATED : AuditAction.AGENT_UPDATED,
                      id,
                      details);
              ctx.status(created ? HttpStatus.CREATED : HttpStatus.OK);
              return agent;
            });
    LOG.info("execution-api - stored agent {} of tenant {} ({})", id, tenantId, ctx.status());
    ctx.header("Location", AGENTS + "/" + id).json(stored);
  }

  private void get(Context ctx) {
    String id = ctx.pathParam("id");
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Agent agent =
        jdbi.withHandle(h -> h.attach(AgentDao.class).agentGet(tenantId, id))
            .orElseThrow(
                () -> ProblemException.notFound(ProblemType.AGENT_NOT_FOUND, "agent with id", id));
    ctx.json(agent);
  }

  private void list(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<String> page = Page.of(ctx, "agents", key -> key);
    List<Agent> fetched =
        jdbi.withExtension(
            AgentDao.class,
            dao -> dao.agentList(tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<Agent> slice =
        page.slice(fetched, agent -> new Cursor<>(agent.createdAt(), agent.id()));
    ctx.json(new AgentList(slice.items(), slice.next()));
  }

  /**
   * A page of the caller's tenant's audit entries, newest first by {@code (at, id)}: who published
   * a definition, stored an agent, issued or revoked a key. Entries of other tenants are never
   * listed.
   */
  private void audit(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<Long> page = Page.of(ctx, "audit", Long::valueOf);
    List<AuditEntry> fetched =
        jdbi.withExtension(
            AuditDao.class,
            dao -> dao.auditList(tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<AuditEntry> slice =
        page.slice(fetched, entry -> new Cursor<>(entry.at(), entry.id()));
    ctx.json(new AuditList(slice.items(), slice.next()));
  }

  /**
   * {@code a2a}: null, or {@code {"agentCardUrl": "<http(s) URL>", "credentials": "<secret
   * name>"?}} for an agent that is a remote A2A peer.
   */
  private static JsonNode peer(JsonNode value, List<Problems.FieldError> errors) {
    if (value == null || value.isNull()) return null;
    if (!value.isObject()) {
      errors.add(new Problems.FieldError("/a2a", "must be an object {agentCardUrl, credentials?}"));
      return null;
    }
    ObjectNode peer = (ObjectNode) value;
    int before = errors.size();
    for (Iterator<String> names = peer.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!PEER_FIELDS.contains(field)) {
        errors.add(
            new Problems.FieldError(
                "/a2a/" + field,
                "unknown field; allowed: " + PEER_FIELDS.stream().sorted().toList()));
      }
    }
    JsonNode url = peer.get("agentCardUrl");
    if (url == null || !url.isTextual() || !HttpUrls.isHttpUrl(url.asText())) {
      errors.add(
          new Problems.FieldError(
              "/a2a/agentCardUrl", "is required: the http(s) URL of the peer's agent card"));
    }
    JsonNode credentials = peer.get("credentials");
    if (credentials != null
        && !(credentials.isTextual() && SECRET_NAME.matcher(credentials.asText()).matches())) {
      errors.add(
          new Problems.FieldError(
              "/a2a/credentials",
              "must name a secret of the tenant (PUT /api/v1/secrets/{name}), sent to the peer as"
                  + " its bearer token"));
    }
    return errors.size() == before ? peer : null;
  }

  /** The profile's {@code memory} object as given, once {@link RecallProfile} accepts it. */
  private static JsonNode recallProfile(JsonNode value, List<Problems.FieldError> errors) {
    List<RecallProfile.FieldError> refused = new ArrayList<>();
    RecallProfile.parse(value, refused);
    for (RecallProfile.FieldError e : refused) {
      errors.add(new Problems.FieldError("/memory" + e.pointer(), e.message()));
    }
    return value == null || value.isNull() ? null : value;
  }

  private static ArrayNode tools(JsonNode value, List<Problems.FieldError> errors) {
    if (value == null || value.isNull()) return Json.MAPPER.createArrayNode();
    if (!value.isArray()) {
      errors.add(new Problems.FieldError("/tools", "must be an array of tool entries"));
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < value.size(); i++) {
      try {
        ToolRef tool = ToolRef.parse(value.get(i));
        if (!seen.add(tool.name())) {
          errors.add(new Problems.FieldError("/tools/" + i, "names '" + tool.name() + "' twice"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new Problems.FieldError("/tools/" + i, e.getMessage()));
      }
    }
    return (ArrayNode) value;
  }
}
