package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.definition.StoredDefinition;
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

  /** Validates the JSON and stores it as the next version of its id. */
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

  public PublishedDefinition latest(String id) {
    return jdbi.withHandle(h -> latest(h, id));
  }

  /** The latest version, read with the caller's handle (inside its transaction). */
  public PublishedDefinition latest(Handle handle, String id) {
    StoredDefinition stored =
        handle
            .attach(DefinitionDao.class)
            .definitionGetLatest(id)
            .orElseThrow(() -> new DefinitionNotFoundException(id, null));
    return versions.computeIfAbsent(key(id, stored.version()), k -> toPublished(stored));
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
    // Stored JSON was written from a validated definition, so parsing it again cannot fail.
    ProcessDefinition definition = parser.parse(stored.definition());
    return new PublishedDefinition(definition, stored.version(), stored.createdAt());
  }

  private static String key(String id, int version) {
    return id + "@" + version;
  }
}
