package dev.podflow.api.auth;

import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an {@code Authorization: Bearer …} header into a {@link Principal}: an API key ({@code
 * pfk_…}, checked against its stored hash) or, when configured, a JWT ({@link JwtVerifier}).
 * Failures say what was wrong without repeating the credential. Thread-safe.
 */
public final class Authenticator {
  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final Optional<JwtVerifier> tokens;

  public Authenticator(ApiKeys keys, Optional<JwtVerifier> tokens) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /**
   * @throws InvalidCredentialsException when the header is missing, malformed, or names no valid
   *     key or token (401)
   * @throws AccessDeniedException when a valid token grants no Podflow role (403)
   */
  public Principal authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new InvalidCredentialsException(
          "this route needs credentials: send Authorization: Bearer <API key or JWT>");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new InvalidCredentialsException(
          "the Authorization header must use the Bearer scheme: Authorization: Bearer <API key or"
              + " JWT>");
    }
    String credential = authorization.substring(BEARER.length()).strip();
    if (ApiKeys.looksLikeKey(credential)) {
      return keys.check(credential)
          .map(Principal::of)
          .orElseThrow(
              () -> new InvalidCredentialsException("the API key is unknown, revoked or expired"));
    }
    JwtVerifier verifier =
        tokens.orElseThrow(
            () ->
                new InvalidCredentialsException(
                    "the credential is not an API key (pfk_…), and this server accepts no JWTs"
                        + " (neither PODFLOW_JWT_SECRET nor PODFLOW_JWT_JWKS_URL is set)"));
    VerifiedToken token = verifier.verify(credential);
    Role role =
        token.roles().stream()
            .map(Role::fromWireName)
            .flatMap(Optional::stream)
            .max(Comparator.naturalOrder())
            .orElseThrow(
                () ->
                    new AccessDeniedException(
                        "the token grants no Podflow role: its role claim names none of admin,"
                            + " operator, user"));
    String actor = "jwt:" + (token.subject() != null ? token.subject() : token.user());
    return new Principal(token.tenantId(), token.user(), role, actor);
  }
}
