package dev.podflow.api.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;

/**
 * Whether a request asks for a live Server-Sent Events stream rather than a JSON answer: the one
 * test the stream routes choose their answer by and {@link AuthGuard} admits stream tokens by.
 */
public final class EventStreamRequest {
  private EventStreamRequest() {}

  /** Whether an {@code Accept} header (null when absent) takes {@code text/event-stream}. */
  public static boolean accepts(String accept) {
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
  }

  /** Whether {@code ctx} is a GET that accepts {@code text/event-stream}, as EventSource sends. */
  static boolean opens(Context ctx) {
    return ctx.method() == HandlerType.GET && accepts(ctx.header("Accept"));
  }
}
