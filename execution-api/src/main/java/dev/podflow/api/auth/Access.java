package dev.podflow.api.auth;

import dev.podflow.store.auth.Role;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * What a route asks of its caller, declared where the route is registered: nothing ({@code OPEN}:
 * health, readiness, metrics, the OpenAPI document, the console's files) or authentication with at
 * least a role. {@link AuthGuard} enforces it before the handler runs.
 */
public enum Access implements RouteRole {
  OPEN(null),
  USER(Role.USER),
  /**
   * As {@link #USER}; its live stream ({@link EventStreamRequest#opens}) also opens with a stream
   * token instead of the {@code Authorization} header ({@link StreamTokens}): the event and
   * notification streams a browser's EventSource follows.
   */
  USER_STREAM(Role.USER),
  OPERATOR(Role.OPERATOR),
  ADMIN(Role.ADMIN);

  private final Role required;

  Access(Role required) {
    this.required = required;
  }

  /** Whether {@code ctx}, a request to a route of this access, may authenticate by stream token. */
  boolean takesStreamToken(Context ctx) {
    return this == USER_STREAM && EventStreamRequest.opens(ctx);
  }

  /** The least role the route admits; empty for an open route. */
  Optional<Role> required() {
    return Optional.ofNullable(required);
  }
}
