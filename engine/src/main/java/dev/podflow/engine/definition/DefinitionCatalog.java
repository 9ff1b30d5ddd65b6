package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.HotSql;
import dev.podflow.store.Json;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.definition.StoredDefinition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Publishes and looks up process definitions. A stored version never changes, so versions are
 * cached once read; "the latest version" is always asked of the database. Thread-safe.
 */
public final class DefinitionCatalog {
  private final Jdbi jdbi;
  private final DefinitionParser parser = new DefinitionParser();
  private final Map<String, PublishedDefinition> versions = new ConcurrentHashMap<>();

  public DefinitionCatalog(Jdbi jdbi) {
    this.jdbi = jdbi;
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
   * {@link #publish} plus the upload checks against the database ({@link DefinitionUploadCheck}:
   * agents, sub-process definitions and versions, sub-process circles, {@code sleep} configs), made
   * in the inserting transaction. Nothing is stored when any check fails.
   *
   * @throws InvalidDefinitionException with every violation the parser or the checks found
   */
  public PublishedDefinition upload(JsonNode json) {
    ProcessDefinition definition = parser.parse(json);
    JsonNode normalized = Json.MAPPER.valueToTree(definition);
    int version =
        jdbi.inTransaction(
            h -> {
              List<InvalidDefinitionException.Violation> violations =
                  new DefinitionUploadCheck(this).check(h, definition);
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
