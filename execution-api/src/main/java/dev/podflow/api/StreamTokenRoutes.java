package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.StreamTokens;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * {@code POST /api/v1/stream-tokens}: a token for a browser's EventSource, which cannot send an
 * {@code Authorization} header, to open the caller's event or notification stream with {@code
 * ?streamToken=…} within {@link StreamTokens#LIFETIME} (201). Any caller may mint one; it acts as
 * exactly that caller, and opens streams only. Takes no body (one is ignored).
 */
final class StreamTokenRoutes {
  static final String PATH = "/api/v1/stream-tokens";

  private final StreamTokens tokens;

  StreamTokenRoutes(StreamTokens tokens) {
    this.tokens = tokens;
  }

  void register(RoutesConfig routes) {
    routes.post(PATH, this::mint, Access.USER);
  }

  private void mint(Context ctx) {
    StreamTokens.Minted minted = tokens.mint(AuthGuard.principal(ctx));
    // A credential: no cache may keep it.
    ctx.status(HttpStatus.CREATED).header("Cache-Control", "no-store").json(minted);
  }
}
