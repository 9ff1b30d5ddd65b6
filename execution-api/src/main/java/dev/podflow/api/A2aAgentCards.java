package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.store.Json;
import dev.podflow.store.access.TenantScope;
import io.javalin.http.Context;

/**
 * The agent cards of definitions published with {@code a2a} (protocol 0.3), public as A2A clients
 * expect: name, description, skills, the JSON-RPC endpoint on the host the client asked, and its
 * security scheme (a bearer API key or JWT of the tenant). Thread-safe.
 */
final class A2aAgentCards {
  private final DefinitionCatalog catalog;

  A2aAgentCards(DefinitionCatalog catalog) {
    this.catalog = catalog;
  }

  void card(Context ctx) {
    String tenantId = ctx.pathParam("tenantId");
    PublishedDefinition published =
        TenantScope.call(tenantId, () -> agent(tenantId, ctx.pathParam("definitionId")));
    JsonNode a2a = published.definition().a2a();
    String base = ctx.scheme() + "://" + ctx.host();
    ObjectNode card =
        Json.object()
            .put("name", published.definition().name())
            .put("description", a2a.path("description").asText())
            .put("url", base + "/a2a/" + tenantId + "/" + published.definition().id())
            .put("version", Integer.toString(published.version()))
            .put("protocolVersion", "0.3.0")
            .put("preferredTransport", "JSONRPC");
    card.putObject("capabilities").put("streaming", true).put("pushNotifications", true);
    card.putArray("defaultInputModes").add("text/plain").add("application/json");
    card.putArray("defaultOutputModes").add("application/json");
    ArrayNode skills = card.putArray("skills");
    for (JsonNode skill : a2a.path("skills")) {
      ObjectNode entry = skills.addObject();
      entry.setAll((ObjectNode) skill);
      entry.putArray("tags");
    }
    card.putObject("securitySchemes")
        .putObject("bearer")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "A Podflow API key (pfk_…) or JWT of tenant " + tenantId);
    card.putArray("security").addObject().putArray("bearer");
    ctx.json(card);
  }

  /** The tenant's latest version of the definition, when it is published as an agent. */
  PublishedDefinition agent(String tenantId, String definitionId) {
    try {
      PublishedDefinition published = catalog.latest(tenantId, definitionId);
      if (published.definition().a2a() != null) return published;
    } catch (DefinitionNotFoundException e) {
      // answered below, as a definition that is no agent
    }
    throw ProblemException.notFound(
        ProblemType.A2A_AGENT_NOT_FOUND, "A2A agent", tenantId + "/" + definitionId);
  }
}
