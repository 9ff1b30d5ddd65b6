package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.store.Json;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.secret.SecretCipher;
import dev.podflow.store.secret.SecretDao;
import dev.podflow.store.secret.SecretSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/secrets}, for a tenant's admins: the tenant's write-only secret store, which its
 * MCP servers reference as {@code ${NAME}}. {@code PUT /{name}} stores a value (201 when new, 200
 * when it replaced one; either answers the name and times), encrypted with {@code
 * PODFLOW_SECRETS_KEY} before it reaches the database (without the key: 503 {@code
 * secrets-unavailable}, nothing stored); {@code GET} lists names and times only; {@code DELETE
 * /{name}} removes one (204). No route ever answers a value, and the audit log records the name
 * alone.
 */
final class SecretRoutes {
  static final String SECRETS = "/api/v1/secrets";
  static final String SECRET = SECRETS + "/{name}";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final int VALUE_LIMIT = 8_000;

  private static final Logger LOG = LoggerFactory.getLogger(SecretRoutes.class);

  private final Jdbi jdbi;
  private final Optional<SecretCipher> cipher;

  SecretRoutes(Jdbi jdbi, Optional<SecretCipher> cipher) {
    this.jdbi = jdbi;
    this.cipher = cipher;
  }

  /** A page of the tenant's secrets, names and times only, newest first. */
  record SecretList(List<SecretSummary> secrets, String next) {}

  void register(RoutesConfig routes) {
    routes.put(SECRET, this::put, Access.ADMIN);
    routes.get(SECRETS, this::list, Access.ADMIN);
    routes.delete(SECRET, this::delete, Access.ADMIN);
  }

  private void put(Context ctx) {
    String name = name(ctx);
    ObjectNode body = JsonBody.object(ctx, BodyLimit.SECRET);
    if (body.size() != 1 || !body.has("value")) {
      throw new InvalidRequestException("the body must be {\"value\": \"…\"} and nothing else");
    }
    JsonNode value = body.get("value");
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new InvalidRequestException("value must be a non-empty string");
    }
    if (value.asText().length() > VALUE_LIMIT) {
      throw new InvalidRequestException("value must be at most " + VALUE_LIMIT + " characters");
    }
    SecretCipher key =
        cipher.orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.SECRETS_UNAVAILABLE,
                    "this API has no "
                        + SecretCipher.KEY_VARIABLE
                        + ", so it cannot encrypt secrets; the operator sets it (the same on the"
                        + " API and the pods) to the output of `openssl rand -base64 32`"));
    Principal principal = AuthGuard.principal(ctx);
    String tenantId = principal.tenantId();
    byte[] ciphertext = key.encrypt(tenantId, name, value.asText());
    SecretSummary stored =
        jdbi.inTransaction(
            h -> {
              SecretDao secrets = h.attach(SecretDao.class);
              boolean inserted = secrets.secretPut(tenantId, name, ciphertext);
              h.attach(AuditDao.class)
                  .record(tenantId, principal.actor(), AuditAction.SECRET_PUT, name, Json.object());
              ctx.status(inserted ? HttpStatus.CREATED : HttpStatus.OK);
              return secrets.secretSummary(tenantId, name).orElseThrow();
            });
    boolean created = ctx.status() == HttpStatus.CREATED;
    LOG.info(
        "execution-api - {} secret {} of tenant {}",
        created ? "stored" : "replaced",
        name,
        tenantId);
    ctx.header("Location", SECRETS + "/" + name).json(stored);
  }

  private void list(Context ctx) {
    String tenantId = AuthGuard.principal(ctx).tenantId();
    Page<String> page = Page.of(ctx, "secrets", key -> key);
    List<SecretSummary> fetched =
        jdbi.withExtension(
            SecretDao.class,
            dao -> dao.secretList(tenantId, page.afterCreatedAt(), page.afterKey(), page.fetch()));
    Page.Slice<SecretSummary> slice =
        page.slice(fetched, secret -> new Cursor<>(secret.createdAt(), secret.name()));
    ctx.json(new SecretList(slice.items(), slice.next()));
  }

  private void delete(Context ctx) {
    String name = name(ctx);
    Principal principal = AuthGuard.principal(ctx);
    jdbi.useTransaction(
        h -> {
          if (!h.attach(SecretDao.class).secretDelete(principal.tenantId(), name)) {
            throw ProblemException.notFound(ProblemType.SECRET_NOT_FOUND, "secret", name);
          }
          h.attach(AuditDao.class)
              .record(
                  principal.tenantId(),
                  principal.actor(),
                  AuditAction.SECRET_DELETED,
                  name,
                  Json.object());
        });
    LOG.info("execution-api - removed secret {} of tenant {}", name, principal.tenantId());
    NoContent.answer(ctx);
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          "secret name "
              + Problems.echo(name)
              + " must be 1-64 letters, digits or '_', not starting with a digit (it is referenced"
              + " as ${NAME})");
    }
    return name;
  }
}
