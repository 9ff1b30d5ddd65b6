package dev.podflow.api;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * A 204 answer: no body and no {@code Content-Type} (Javalin gives every response its default
 * {@code text/plain} until told otherwise, which would describe a body that is not there).
 */
final class NoContent {
  private NoContent() {}

  static void answer(Context ctx) {
    ctx.status(HttpStatus.NO_CONTENT);
    ctx.res().setContentType(null);
  }
}
