package dev.podflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.DefinitionParser;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Database;
import java.util.Optional;

/**
 * Publishes definitions into a tenant unless the tenant's latest version already matches, so that
 * publishing the same files on every start or deploy adds no versions.
 */
final class DefinitionPublisher {
  private final DefinitionCatalog catalog;
  private final DefinitionParser parser;

  DefinitionPublisher(Database database) {
    OrchestratorRegistry orchestrators = OrchestratorRegistry.discover();
    this.catalog = new DefinitionCatalog(database.jdbi(), orchestrators);
    this.parser = new DefinitionParser(orchestrators);
  }

  /** The version stored now, or empty when the tenant's latest one is this definition already. */
  Optional<PublishedDefinition> publish(String tenant, String actor, JsonNode definition) {
    try {
      var latest = catalog.latest(tenant, definition.path("id").asText()).definition();
      if (latest.equals(parser.parse(definition))) return Optional.empty();
    } catch (DefinitionNotFoundException e) {
      // its first version in this tenant
    }
    return Optional.of(catalog.publish(tenant, actor, definition));
  }
}
