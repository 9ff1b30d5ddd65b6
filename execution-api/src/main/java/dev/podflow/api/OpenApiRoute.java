package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.store.Json;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/openapi.json}: the API's OpenAPI 3.1 document, open to anyone. The document is
 * written by hand and checked in ({@value #RESOURCE} on the class path), read once when the API
 * starts and served as it is; {@code OpenApiDocumentTest} holds it to the registered routes and
 * {@code OpenApiResponsesTest} holds real answers to its schemas.
 */
final class OpenApiRoute {
  static final String PATH = "/api/v1/openapi.json";
  static final String RESOURCE = "dev/podflow/api/openapi.json";

  private final byte[] document;

  private OpenApiRoute(byte[] document) {
    this.document = document;
  }

  /** Reads the document; a missing or unparsable one fails the start. */
  static OpenApiRoute fromClassPath() {
    try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      byte[] document = in.readAllBytes();
      Json.parse(new String(document, StandardCharsets.UTF_8));
      return new OpenApiRoute(document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, ctx -> ctx.contentType("application/json").result(document), Access.OPEN);
  }
}
