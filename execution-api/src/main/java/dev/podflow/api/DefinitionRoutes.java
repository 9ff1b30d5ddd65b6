package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.PublishedDefinition;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/definitions}: publish a definition as its next version, read one back. */
final class DefinitionRoutes {
  static final String DEFINITIONS = "/api/v1/definitions";
  static final String DEFINITION = DEFINITIONS + "/{id}";

  private static final Logger LOG = LoggerFactory.getLogger(DefinitionRoutes.class);

  private final DefinitionCatalog catalog;

  DefinitionRoutes(DefinitionCatalog catalog) {
    this.catalog = catalog;
  }

  /** The answer to a publish. */
  record Published(String id, int version) {}

  /** One stored version, activities in their normalized form. */
  record DefinitionView(
      String id, int version, String name, List<Activity> activities, Instant createdAt) {
    static DefinitionView of(PublishedDefinition published) {
      return new DefinitionView(
          published.definition().id(),
          published.version(),
          published.definition().name(),
          published.definition().activities(),
          published.createdAt());
    }
  }

  void register(RoutesConfig routes) {
    routes.post(DEFINITIONS, this::publish, Access.ADMIN);
    routes.get(DEFINITION, this::get, Access.USER);
  }

  private void publish(Context ctx) {
    PublishedDefinition published = catalog.upload(JsonBody.object(ctx));
    String id = published.definition().id();
    LOG.info("execution-api - published definition {} version {}", id, published.version());
    ctx.status(HttpStatus.CREATED)
        .header("Location", DEFINITIONS + "/" + id + "?version=" + published.version())
        .json(new Published(id, published.version()));
  }

  private void get(Context ctx) {
    String id = ctx.pathParam("id");
    String version = ctx.queryParam("version");
    PublishedDefinition published =
        version == null ? catalog.latest(id) : catalog.get(id, parseVersion(version));
    ctx.json(DefinitionView.of(published));
  }

  private static int parseVersion(String raw) {
    try {
      int version = Integer.parseInt(raw.trim());
      if (version >= 1) return version;
    } catch (NumberFormatException e) {
      // answered below, like any other bad value
    }
    throw new InvalidRequestException(
        "query parameter version must be a whole number from 1, got " + Problems.echo(raw));
  }
}
