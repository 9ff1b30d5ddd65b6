package dev.podflow.api.auth;

import dev.podflow.store.auth.Role;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * What a route asks of its caller, declared where the route is registered: nothing ({@code OPEN}:
 * health, readiness, metrics, the OpenAPI document) or authentication with at least a role. {@link
 * AuthGuard} enforces it before the handler runs.
 */
public enum Access implements RouteRole {
  OPEN(null),
  USER(Role.USER),
  OPERATOR(Role.OPERATOR),
  ADMIN(Role.ADMIN);

  private final Role required;

  Access(Role required) {
    this.required = required;
  }

  /** The least role the route admits; empty for an open route. */
  Optional<Role> required() {
    return Optional.ofNullable(required);
  }
}
