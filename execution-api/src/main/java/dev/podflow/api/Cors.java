package dev.podflow.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * CORS, only when origins are configured ({@link ApiSettings#corsOrigins()}): Javalin's CORS plugin
 * answers browsers calling from exactly those origins, with credentials (the {@code Authorization}
 * header). A preflight is told exactly the headers and methods the API takes, not whatever it asked
 * for. A request whose {@code Origin} is not listed is refused (400 problem JSON) before any route
 * runs, so it writes nothing. Without origins nothing is registered and no CORS header is ever
 * sent.
 */
final class Cors {
  static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";
  static final String ALLOWED_METHODS = "GET, POST";

  /** How long a browser may cache a preflight's answer, in seconds. */
  static final int MAX_AGE_SECONDS = 600;

  private Cors() {}

  static void register(JavalinConfig config, List<String> origins) {
    if (origins.isEmpty()) return;
    Set<String> allowed = Set.copyOf(origins);
    config.bundledPlugins.enableCors(
        cors ->
            cors.addRule(
                rule -> {
                  origins.forEach(origin -> rule.allowHost(origin));
                  rule.allowCredentials = true;
                  rule.maxAge = MAX_AGE_SECONDS;
                  rule.exposeHeader("Location");
                  rule.exposeHeader("WWW-Authenticate");
                }));
    config.routes.before(ctx -> refuseOtherOrigins(ctx, allowed));
    // The plugin reflects whatever headers and method a preflight asks for; say exactly ours.
    config.routes.after(
        ctx -> {
          if (ctx.method() == HandlerType.OPTIONS
              && ctx.header("Access-Control-Request-Method") != null
              && allowed.contains(ctx.header("Origin"))) {
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
          }
        });
  }

  private static void refuseOtherOrigins(Context ctx, Set<String> allowed) {
    String origin = ctx.header("Origin");
    if (origin != null && !allowed.contains(origin)) {
      throw new InvalidRequestException(
          "Origin "
              + Problems.echo(origin)
              + " is not one this API allows; PODFLOW_CORS_ORIGINS lists the origins browsers may"
              + " call it from");
    }
  }
}
