package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.definition.StoredDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Publishes and looks up process definitions. Publishing checks a definition with the orchestrator
 * plug-ins it names ({@link DefinitionParser}, and {@link UploadCheck} for uploads); reading a
 * stored version judges neither names nor configs again. A stored version never changes, so
 * versions are cached once read; "the latest version" is always asked of the database. Thread-safe.
 */
public final class DefinitionCatalog {
  private final Jdbi jdbi;
  private final OrchestratorRegistry orchestrators;
  private final DefinitionParser parser;
  private final Map<String, PublishedDefinition> versions = new ConcurrentHashMap<>();

  /**
   * @param orchestrators the plug-ins a published definition may name, which check its configs
   */
  public DefinitionCatalog(Jdbi jdbi, OrchestratorRegistry orchestrators) {
    this.jdbi = jdbi;
    this.orchestrators = orchestrators;
    this.parser = new DefinitionParser(orchestrators);
  }

  /**
   * Validates the JSON ({@link DefinitionParser}) and stores it as the next version of its id. For
   * uploads from outside use {@link #upload}, which also checks names against the database.
   */
  public PublishedDefinition publish(JsonNode json) {
    ProcessDefinition definition = parser.parse(json);
    JsonNode normalized = Json.MAPPER.valueToTree(definition);
    int version =
        jdbi.inTransaction(
            h ->
                h.attach(DefinitionDao.class)
                    .definitionInsertNextVersion(definition.id(), definition.name(), normalized));
    return get(definition.id(), version);
  }

  /**
   * {@link #publish} plus each orchestrator's checks against stored data ({@link
   * dev.podflow.engine.orchestrator.Orchestrator#checkUpload}: agents, sub-process definitions and
   * versions, sub-process circles), made in the inserting transaction. Nothing is stored when any
   * check fails.
   *
   * @throws InvalidDefinitionException with every violation the parser or the checks found
   */
  public PublishedDefinition upload(JsonNode json) {
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
              return h.attach(DefinitionDao.class)
                  .definitionInsertNextVersion(definition.id(), definition.name(), normalized);
            });
    return get(definition.id(), version);
  }

  public PublishedDefinition latest(String id) {
    return jdbi.withHandle(h -> latest(h, id));
  }

  /** The latest version, read with the caller's handle (inside its transaction). */
  public PublishedDefinition latest(Handle handle, String id) {
    // Only the number is asked for (one cheap statement per start); the version itself is cached.
    Integer latest = HotSql.latestDefinitionVersion(handle, id);
    if (latest == null) throw new DefinitionNotFoundException(id, null);
    return get(handle, id, latest);
  }

  public PublishedDefinition get(String id, int version) {
    PublishedDefinition cached = versions.get(key(id, version));
    return cached != null ? cached : jdbi.withHandle(h -> get(h, id, version));
  }

  /** One version, read with the caller's handle (inside its transaction) unless cached. */
  public PublishedDefinition get(Handle handle, String id, int version) {
    PublishedDefinition cached = versions.get(key(id, version));
    if (cached != null) return cached;
    StoredDefinition stored =
        handle
            .attach(DefinitionDao.class)
            .definitionGet(id, version)
            .orElseThrow(() -> new DefinitionNotFoundException(id, version));
    return versions.computeIfAbsent(key(id, version), k -> toPublished(stored));
  }

  private PublishedDefinition toPublished(StoredDefinition stored) {
    // Stored JSON was written from a validated definition, so parsing it again cannot fail; configs
    // are not judged again, so checks added since it was stored cannot make it unreadable.
    ProcessDefinition definition = parser.parseStored(stored.definition());
    return new PublishedDefinition(definition, stored.version(), stored.createdAt());
  }

  private static String key(String id, int version) {
    return id + "@" + version;
  }
}
