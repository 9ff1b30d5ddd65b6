package dev.podflow.api.auth;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * How the API verifies {@code Authorization: Bearer <JWT>}: where the signing keys come from, which
 * issuer and audience it accepts, and which claims name the tenant, the user and the roles. Read
 * from the environment by {@link #fromEnvironment}; validated at construction, so a {@link
 * JwtVerifier} never meets a setting it cannot use.
 *
 * <ul>
 *   <li>{@code PODFLOW_JWT_SECRET}: the HS256 shared secret, its UTF-8 bytes (Supabase's "JWT
 *       secret" as shown); at least 32 bytes.
 *   <li>{@code PODFLOW_JWT_JWKS_URL}: an http(s) URL of a JWKS with the RS256 and ES256 public keys
 *       (Supabase: {@code https://<project>.supabase.co/auth/v1/.well-known/jwks.json}).
 *   <li>{@code PODFLOW_JWT_ISSUER}: when set, {@code iss} must equal it.
 *   <li>{@code PODFLOW_JWT_AUDIENCE}: when set, {@code aud} must contain it.
 *   <li>{@code PODFLOW_JWT_TENANT_CLAIM} (default {@code tenant_id}), {@code
 *       PODFLOW_JWT_USER_CLAIM} (default {@code sub}), {@code PODFLOW_JWT_ROLES_CLAIM} (default
 *       {@code role}): a claim name, or a dotted path into nested objects such as {@code
 *       app_metadata.tenant_id}, where Supabase keeps custom claims.
 * </ul>
 *
 * <p>Production should set both the issuer and the audience: without them any token signed by the
 * same keys is accepted, e.g. one that the same identity provider issued for another application.
 *
 * @param hmacSecret the HS256 secret; null when only the JWKS is used
 * @param jwksUrl the JWKS for RS256 and ES256; null when only the secret is used
 * @param issuer the accepted {@code iss}; null accepts any
 * @param audience the {@code aud} a token must contain; null accepts any
 * @param tenantClaim the claim (path) holding the tenant id
 * @param userClaim the claim (path) holding the user; {@code sub} when the token lacks it
 * @param rolesClaim the claim (path) holding a role name or an array of them
 */
public record JwtSettings(
    String hmacSecret,
    URI jwksUrl,
    String issuer,
    String audience,
    String tenantClaim,
    String userClaim,
    String rolesClaim) {

  public static final String SECRET_VARIABLE = "PODFLOW_JWT_SECRET";
  public static final String JWKS_URL_VARIABLE = "PODFLOW_JWT_JWKS_URL";
  public static final String ISSUER_VARIABLE = "PODFLOW_JWT_ISSUER";
  public static final String AUDIENCE_VARIABLE = "PODFLOW_JWT_AUDIENCE";
  public static final String TENANT_CLAIM_VARIABLE = "PODFLOW_JWT_TENANT_CLAIM";
  public static final String USER_CLAIM_VARIABLE = "PODFLOW_JWT_USER_CLAIM";
  public static final String ROLES_CLAIM_VARIABLE = "PODFLOW_JWT_ROLES_CLAIM";

  public static final String DEFAULT_TENANT_CLAIM = "tenant_id";
  public static final String DEFAULT_USER_CLAIM = "sub";
  public static final String DEFAULT_ROLES_CLAIM = "role";

  /** HS256 needs a key as long as its hash (RFC 7518 §3.2); nimbus refuses shorter ones too. */
  public static final int MIN_SECRET_BYTES = 32;

  public JwtSettings {
    if (hmacSecret == null && jwksUrl == null) {
      throw new InvalidConfigurationException(
          "JWT verification needs a key source: set "
              + SECRET_VARIABLE
              + " (HS256) or "
              + JWKS_URL_VARIABLE
              + " (RS256/ES256), or both");
    }
    if (hmacSecret != null) {
      int length = hmacSecret.getBytes(StandardCharsets.UTF_8).length;
      if (length < MIN_SECRET_BYTES) {
        throw new InvalidConfigurationException(
            SECRET_VARIABLE
                + " is "
                + length
                + " bytes long, but an HS256 secret must be at least "
                + MIN_SECRET_BYTES
                + " bytes: use your identity provider's JWT secret as it shows it (Supabase:"
                + " Project Settings → API → JWT secret), or generate one with `openssl rand"
                + " -base64 48`");
      }
    }
    if (jwksUrl != null && !isAbsoluteHttpUrl(jwksUrl)) {
      throw invalidJwksUrl(jwksUrl.toString());
    }
    requireClaimName(TENANT_CLAIM_VARIABLE, tenantClaim);
    requireClaimName(USER_CLAIM_VARIABLE, userClaim);
    requireClaimName(ROLES_CLAIM_VARIABLE, rolesClaim);
  }

  /**
   * The settings from {@code PODFLOW_JWT_*}, or empty when neither a secret nor a JWKS URL is set
   * (JWT verification off). Values are trimmed (a secret mounted from a file often ends in a
   * newline); a blank secret, URL, issuer or audience counts as unset, but a claim variable that is
   * set must name a claim.
   *
   * @throws InvalidConfigurationException naming the variable and the fix
   */
  public static Optional<JwtSettings> fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    String secret = env.text(SECRET_VARIABLE);
    String jwksUrl = env.text(JWKS_URL_VARIABLE);
    if (secret == null && jwksUrl == null) return Optional.empty();
    return Optional.of(
        new JwtSettings(
            secret,
            jwksUrl == null ? null : parseJwksUrl(jwksUrl),
            env.text(ISSUER_VARIABLE),
            env.text(AUDIENCE_VARIABLE),
            claimName(variables, TENANT_CLAIM_VARIABLE, DEFAULT_TENANT_CLAIM),
            claimName(variables, USER_CLAIM_VARIABLE, DEFAULT_USER_CLAIM),
            claimName(variables, ROLES_CLAIM_VARIABLE, DEFAULT_ROLES_CLAIM)));
  }

  /** Redacts the secret: settings get logged, and the secret forges any token. */
  @Override
  public String toString() {
    return "JwtSettings[hmacSecret="
        + (hmacSecret == null ? "none" : "<redacted>")
        + ", jwksUrl="
        + jwksUrl
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + ", tenantClaim="
        + tenantClaim
        + ", userClaim="
        + userClaim
        + ", rolesClaim="
        + rolesClaim
        + "]";
  }

  private static String claimName(Map<String, String> variables, String variable, String fallback) {
    String value = variables.get(variable);
    return value == null ? fallback : value.trim();
  }

  private static URI parseJwksUrl(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw invalidJwksUrl(value);
    }
  }

  private static boolean isAbsoluteHttpUrl(URI url) {
    String scheme = url.getScheme();
    return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        && url.getHost() != null;
  }

  private static InvalidConfigurationException invalidJwksUrl(String value) {
    return new InvalidConfigurationException(
        JWKS_URL_VARIABLE
            + " must be an absolute http:// or https:// URL of a JWKS, such as"
            + " https://<project>.supabase.co/auth/v1/.well-known/jwks.json, got '"
            + value
            + "'");
  }

  private static void requireClaimName(String variable, String claim) {
    if (claim == null || Arrays.asList(claim.split("\\.", -1)).contains("")) {
      throw new InvalidConfigurationException(
          variable
              + " must name a claim, such as tenant_id, or a dotted path into nested claims without"
              + " empty steps, such as app_metadata.tenant_id; got '"
              + claim
              + "'");
    }
  }
}
