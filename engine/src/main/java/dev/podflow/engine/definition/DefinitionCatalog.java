package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.definition.StoredDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Publishes and looks up process definitions, each of one tenant: every method names the tenant,
 * and a definition id names a definition within it (two tenants may each have their own {@code
 * greet}, versioned on its own). Publishing checks a definition with the orchestrator plug-ins it
 * names ({@link DefinitionParser}, and {@link UploadCheck} for uploads); reading a stored version
 * judges neither names nor configs again. A stored version never changes, so versions are cached
 * once read; "the latest version" is always asked of the database. Thread-safe.
 */
public final class DefinitionCatalog {
  private final Jdbi jdbi;
  private final OrchestratorRegistry orchestrators;
  private final DefinitionParser parser;
  private final Map<Key, PublishedDefinition> versions = new ConcurrentHashMap<>();

  /**
   * @param orchestrators the plug-ins a published definition may name, which check its configs
   */
  public DefinitionCatalog(Jdbi jdbi, OrchestratorRegistry orchestrators) {
    this.jdbi = jdbi;
    this.orchestrators = orchestrators;
    this.parser = new DefinitionParser(orchestrators);
  }

  /**
   * Validates the JSON ({@link DefinitionParser}) and stores it as the next version of its id in
   * {@code tenantId}, recording {@code definition.published} by {@code actor} in the tenant's audit
   * log in the same transaction. For internal callers (the demo's samples, bench, chaos, tests),
   * which name themselves: uploads from outside use {@link #upload}, which also checks names
   * against the database.
   *
   * @param actor who publishes it, as the audit log names it: a label such as {@code demo}
   */
  public PublishedDefinition publish(String tenantId, String actor, JsonNode json) {
    ProcessDefinition definition = parser.parse(json);
    JsonNode normalized = Json.MAPPER.valueToTree(definition);
    int version = jdbi.inTransaction(h -> insert(h, tenantId, actor, definition, normalized));
    return get(tenantId, definition.id(), version);
  }

  /**
   * {@link #publish} plus each orchestrator's checks against stored data ({@link
   * dev.podflow.engine.orchestrator.Orchestrator#checkUpload}: agents, sub-process definitions and
   * versions, sub-process circles), made in the inserting transaction against {@code tenantId}'s
   * agents and definitions only. Nothing is stored, and nothing audited, when any check fails.
   *
   * @param actor the caller as the audit log names it ({@code key:<id>}, {@code jwt:<subject>})
   * @throws InvalidDefinitionException with every violation the parser or the checks found
   */
  public PublishedDefinition upload(String tenantId, String actor, JsonNode json) {
    ProcessDefinition definition = parser.parse(json);
    JsonNode normalized = Json.MAPPER.valueToTree(definition);
    int version =
        jdbi.inTransaction(
            h -> {
              List<Violation> violations = new ArrayList<>();
              List<Activity> activities = definition.activities();
              for (int i = 0; i < activities.size(); i++) {
                UploadCheck check =
                    new UploadCheck(
                        h,
                        this,
                        tenantId,
                        definition,
                        activities.get(i),
                        "/activities/" + i + "/config",
                        violations);
                orchestrators
                    .find(activities.get(i).orchestrator())
                    .orElseThrow()
                    .checkUpload(check);
              }
              if (!violations.isEmpty()) throw new InvalidDefinitionException(violations);
              return insert(h, tenantId, actor, definition, normalized);
            });
    return get(tenantId, definition.id(), version);
  }

  /** Stores the next version and its audit entry, in the caller's transaction; the version. */
  private static int insert(
      Handle h, String tenantId, String actor, ProcessDefinition definition, JsonNode normalized) {
    int version =
        h.attach(DefinitionDao.class)
            .definitionInsertNextVersion(tenantId, definition.id(), definition.name(), normalized);
    ObjectNode details = Json.MAPPER.createObjectNode();
    details.put("name", definition.name());
    details.put("activities", definition.activities().size());
    h.attach(AuditDao.class)
        .record(
            tenantId,
            actor,
            AuditAction.DEFINITION_PUBLISHED,
            definition.id() + "@" + version,
            details);
    return version;
  }

  /**
   * The latest version of {@code tenantId}'s definition {@code id}.
   *
   * @throws DefinitionNotFoundException when the tenant has no such definition (another tenant's
   *     counts as none)
   */
  public PublishedDefinition latest(String tenantId, String id) {
    return jdbi.withHandle(h -> latest(h, tenantId, id));
  }

  /** The latest version, read with the caller's handle (inside its transaction). */
  public PublishedDefinition latest(Handle handle, String tenantId, String id) {
    // Only the number is asked for (one cheap statement per start); the version itself is cached.
    Integer latest = HotSql.latestDefinitionVersion(handle, tenantId, id);
    if (latest == null) throw new DefinitionNotFoundException(id, null);
    return get(handle, tenantId, id, latest);
  }

  /**
   * One version of {@code tenantId}'s definition {@code id}.
   *
   * @throws DefinitionNotFoundException when the tenant has no such version
   */
  public PublishedDefinition get(String tenantId, String id, int version) {
    PublishedDefinition cached = versions.get(new Key(tenantId, id, version));
    return cached != null ? cached : jdbi.withHandle(h -> get(h, tenantId, id, version));
  }

  /** One version, read with the caller's handle (inside its transaction) unless cached. */
  public PublishedDefinition get(Handle handle, String tenantId, String id, int version) {
    Key key = new Key(tenantId, id, version);
    PublishedDefinition cached = versions.get(key);
    if (cached != null) return cached;
    StoredDefinition stored =
        handle
            .attach(DefinitionDao.class)
            .definitionGet(tenantId, id, version)
            .orElseThrow(() -> new DefinitionNotFoundException(id, version));
    return versions.computeIfAbsent(key, k -> toPublished(stored));
  }

  private PublishedDefinition toPublished(StoredDefinition stored) {
    // Stored JSON was written from a validated definition, so parsing it again cannot fail; configs
    // are not judged again, so checks added since it was stored cannot make it unreadable.
    ProcessDefinition definition = parser.parseStored(stored.definition());
    return new PublishedDefinition(definition, stored.version(), stored.createdAt());
  }

  /** A cached version: the same id and version in two tenants are two definitions. */
  private record Key(String tenantId, String id, int version) {}
}
