package dev.podflow.api.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a verified JWT says the caller is, in Podflow's terms: the claims that {@link JwtSettings}
 * names, already mapped, so the HTTP layer decides access without reading claims itself.
 *
 * @param subject the token's {@code sub}; null when it has none
 * @param tenantId the tenant the caller acts in; never blank
 * @param user the user claim, or {@code sub} when the token lacks it; null when it has neither
 * @param roles Podflow role names ({@code admin}, {@code operator}, {@code user}) the token grants;
 *     empty when it grants none of them, and what an empty set may do is the caller's decision
 */
public record VerifiedToken(String subject, String tenantId, String user, Set<String> roles) {
  public VerifiedToken {
    Objects.requireNonNull(tenantId, "tenantId");
    roles = Set.copyOf(roles);
  }
}
