package dev.podflow.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.PublishedDefinition;
import dev.podflow.store.definition.DefinitionDao;
import dev.podflow.store.definition.DefinitionSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/definitions}: publish a definition as its next version, read one back, list the
 * definitions in their latest versions and one definition's versions (each a {@link Page}). Every
 * route works on the caller's tenant's definitions: another tenant's answer 404 {@code
 * definition-not-found}, as an unknown id does, and are missing from the lists.
 */
final class DefinitionRoutes {
  static final String DEFINITIONS = "/api/v1/definitions";
  static final String DEFINITION = DEFINITIONS + "/{id}";
  static final String VERSIONS = DEFINITION + "/versions";

  private static final Logger LOG = LoggerFactory.getLogger(DefinitionRoutes.class);

  private final DefinitionCatalog catalog;
  private final Jdbi jdbi;

  DefinitionRoutes(DefinitionCatalog catalog, Jdbi jdbi) {
    this.catalog = catalog;
    this.jdbi = jdbi;
  }

  /** The answer to a publish. */
  record Published(String id, int version) {}

  /**
   * One stored version, activities in their normalized form; {@code inputSchema} only when it has
   * one (the console's start form).
   */
  record DefinitionView(
      String id,
      int version,
      String name,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode inputSchema,
      List<Activity> activities,
      Instant createdAt) {
    static DefinitionView of(PublishedDefinition published) {
      return new DefinitionView(
          published.definition().id(),
          published.version(),
          published.definition().name(),
          published.definition().inputSchema(),
          published.definition().activities(),
          published.createdAt());
    }
  }

  /** A page of definitions, each in its latest version, newest first. */
  record DefinitionList(List<DefinitionSummary> definitions, String next) {}

  /** A page of one definition's versions, newest first. */
  record VersionList(List<DefinitionSummary> versions, String next) {}

  void register(RoutesConfig routes) {
    routes.post(DEFINITIONS, this::publish, Access.ADMIN);
    routes.get(DEFINITIONS, this::list, Access.USER);
    routes.get(DEFINITION, this::get, Access.USER);
    routes.get(VERSIONS, this::versions, Access.USER);
  }

  private void publish(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    PublishedDefinition published =
        catalog.upload(tenantId, principal.actor(), JsonBody.object(ctx, BodyLimit.DEFINITION));
    String id = published.definition().id();
    LOG.info(
        "execution-api - published definition {} version {} of tenant {}",
        id,
        published.version(),
        tenantId);
    ctx.status(HttpStatus.CREATED)
        .header("Location", DEFINITIONS + "/" + id + "?version=" + published.version())
        .json(new Published(id, published.version()));
  }

  private void get(Context ctx) {
    ctx.json(view(AuthGuard.principal(ctx), ctx.pathParam("id"), ctx.queryParam("version")));
  }

  /** Definition {@code id} of the caller's tenant: {@code version} (text), or the latest (null). */
  DefinitionView view(Principal principal, String id, String version) {
    String tenantId = principal.tenantId();
    PublishedDefinition published =
        version == null
            ? catalog.latest(tenantId, id)
            : catalog.get(tenantId, id, parseVersion(version));
    return DefinitionView.of(published);
  }

  private void list(Context ctx) {
    ctx.json(list(AuthGuard.principal(ctx), Page.of(ctx, "definitions", key -> key)));
  }

  /** A page of the caller's tenant's definitions, each in its latest version. */
  DefinitionList list(Principal principal, Page<String> page) {
    String tenantId = principal.tenantId();
    List<DefinitionSummary> fetched =
        jdbi.withExtension(
            DefinitionDao.class,
            dao ->
                dao.definitionListLatest(
                    tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<DefinitionSummary> slice =
        page.slice(fetched, definition -> new Cursor<>(definition.createdAt(), definition.id()));
    return new DefinitionList(slice.items(), slice.next());
  }

  private void versions(Context ctx) {
    String id = ctx.pathParam("id");
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<Integer> page = Page.of(ctx, "versions", Integer::valueOf);
    List<DefinitionSummary> fetched =
        jdbi.withExtension(
            DefinitionDao.class,
            dao -> {
              List<DefinitionSummary> versions =
                  dao.definitionListVersions(
                      tenantId, id, page.afterCreatedAt(), page.afterKey(), page.fetch());
              if (versions.isEmpty() && dao.definitionGetLatest(tenantId, id).isEmpty()) {
                throw new DefinitionNotFoundException(id, null);
              }
              return versions;
            });
    Page.Slice<DefinitionSummary> slice =
        page.slice(fetched, version -> new Cursor<>(version.createdAt(), version.version()));
    ctx.json(new VersionList(slice.items(), slice.next()));
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
