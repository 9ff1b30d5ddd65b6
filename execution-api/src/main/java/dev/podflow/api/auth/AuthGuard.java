package dev.podflow.api.auth;

import dev.podflow.store.access.TenantScope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * Enforces each route's {@link Access} before its handler runs: open routes pass; every other
 * request is authenticated ({@link Authenticator}; 401 without valid credentials) and its role
 * checked (403). The credential is the {@code Authorization} header, or, only for the live stream
 * of a {@link Access#USER_STREAM} route, a stream token in the query ({@link StreamTokens}); a
 * stream token sent to any other route is refused like a missing credential. The principal is kept
 * on the request for the handlers ({@link #principal}), and its tenant is bound to the request's
 * thread ({@link TenantScope}) until the response: the API's pool acts as {@code podflow_api}, so
 * PostgreSQL's row-level security shows the handlers that tenant's rows only, whatever their
 * queries forget. The caller's user is recorded ({@link KnownUsers}). Unrouted requests need no
 * credentials (they answer 404 or 405); the console's files declare {@link Access#OPEN} as routes
 * do.
 */
public final class AuthGuard {
  private static final String PRINCIPAL = "podflow.principal";

  private final Authenticator authenticator;
  private final StreamTokens streamTokens;
  private final KnownUsers users;

  public AuthGuard(Authenticator authenticator, StreamTokens streamTokens, KnownUsers users) {
    this.authenticator = authenticator;
    this.streamTokens = streamTokens;
    this.users = users;
  }

  public void register(RoutesConfig routes) {
    routes.beforeMatched(this::check);
    routes.after(ctx -> TenantScope.clear());
  }

  private void check(Context ctx) {
    TenantScope.clear();
    Access access = accessOf(ctx);
    if (access == Access.OPEN) return;
    Principal principal = authenticate(ctx, access);
    ctx.attribute(PRINCIPAL, principal);
    TenantScope.bind(principal.tenantId());
    users.record(principal);
    access
        .required()
        .filter(required -> !principal.role().includes(required))
        .ifPresent(
            required -> {
              throw new AccessDeniedException(
                  "this route needs the "
                      + required.wireName()
                      + " role or more; the credential has "
                      + principal.role().wireName());
            });
  }

  /**
   * The caller, by its {@code Authorization} header or, where the route takes one, stream token.
   */
  private Principal authenticate(Context ctx, Access access) {
    String streamToken = ctx.queryParam(StreamTokens.PARAMETER);
    if (streamToken == null) return authenticator.authenticate(ctx.header("Authorization"));
    if (!access.takesStreamToken(ctx)) {
      throw new InvalidCredentialsException(
          "a stream token opens only an event stream (GET …/events or …/notifications with Accept:"
              + " text/event-stream); send Authorization: Bearer <API key or JWT>");
    }
    if (ctx.header("Authorization") != null) {
      throw new InvalidCredentialsException(
          "send a stream token or an Authorization header, not both");
    }
    return streamTokens.verify(streamToken);
  }

  /** The route's one declared access; a route that declares none is a bug, not an open door. */
  private static Access accessOf(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    // Javalin runs this for a console file's path with a method no file takes (POST /) too; no
    // handler runs for it, and it answers 404 like any unrouted request.
    if (roles.isEmpty() && ctx.endpoints().matchedHttpEndpoint() == null) return Access.OPEN;
    if (roles.size() != 1 || !(roles.iterator().next() instanceof Access access)) {
      throw new IllegalStateException(
          ctx.method() + " " + ctx.endpoint().path + " declares no single Access: " + roles);
    }
    return access;
  }

  /** The authenticated caller of a request to a non-open route. */
  public static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException(ctx.path() + " is open: it has no principal");
    }
    return principal;
  }
}
