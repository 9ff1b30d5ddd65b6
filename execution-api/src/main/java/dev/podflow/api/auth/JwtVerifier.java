package dev.podflow.api.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;
import static java.util.stream.Collectors.toUnmodifiableSet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTProcessor;
import dev.podflow.store.InvalidConfigurationException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the JWTs the API accepts as bearer tokens; built once from {@link JwtSettings} and
 * shared by all requests (thread-safe).
 *
 * <p>Each algorithm is bound to the one key source configured for it — HS256 to the secret, RS256
 * and ES256 to the JWKS — and a token naming any other is refused before a key is looked at, so a
 * token cannot choose how it is checked: never {@code alg: none}, never an HS256 token "signed"
 * with a public key (algorithm confusion). The signature is checked before any claim is trusted;
 * then {@code exp} (required) and {@code nbf} with {@link #CLOCK_SKEW} of tolerance, the issuer and
 * the audience, and last the identity claims.
 *
 * <p>The JWKS is fetched on first use and cached for five minutes, refreshed in the background
 * during the last 30 s of them. A token whose {@code kid} is not in the cache triggers a refetch,
 * so rotated keys work at once, but the JWKS is fetched at most twice per 30 s, so a flood of
 * tokens with unknown kids cannot hammer the identity provider. A failed request is retried once
 * and logged at WARN with the URL.
 */
public final class JwtVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

  /** How far the issuer's clock may be from ours, for {@code exp} and {@code nbf}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private static final Duration JWKS_CACHE_TIME = Duration.ofMinutes(5);
  private static final Duration JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);
  private static final int JWKS_HTTP_TIMEOUT_MILLIS = 2_000;

  /**
   * Access tokens are typed {@code JWT} (Supabase and most others), {@code at+jwt} or not at all.
   */
  private static final JOSEObjectTypeVerifier<SecurityContext> ACCEPTED_TYPES =
      new DefaultJOSEObjectTypeVerifier<>(
          JOSEObjectType.JWT,
          new JOSEObjectType("at+jwt"),
          new JOSEObjectType("application/at+jwt"),
          null);

  /**
   * Podflow's role names as they are, and Supabase's signed-in role as {@code user}; any other
   * value grants nothing — Supabase's {@code service_role} and {@code anon} included.
   */
  private static final Map<String, String> ROLE_BY_CLAIM_VALUE =
      Map.of("admin", "admin", "operator", "operator", "user", "user", "authenticated", "user");

  private final JwtSettings settings;
  private final Map<JWSAlgorithm, JWTProcessor<SecurityContext>> processorByAlgorithm;
  private final String acceptedAlgorithms;
  private final WatchedJwks jwks; // null without a JWKS URL

  public JwtVerifier(JwtSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Map<JWSAlgorithm, JWTProcessor<SecurityContext>> processors = new HashMap<>();
    if (settings.hmacSecret() != null) {
      // a single secret: the kid some issuers (Supabase) put in HS256 tokens has nothing to choose
      SecretKeySpec key = new SecretKeySpec(settings.hmacSecret().getBytes(UTF_8), "HmacSHA256");
      processors.put(
          JWSAlgorithm.HS256, processor(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, key)));
    }
    if (settings.jwksUrl() != null) {
      jwks = new WatchedJwks(settings.jwksUrl());
      var keys =
          JWKSourceBuilder.create(jwks)
              .retrying(true)
              .cache(JWKS_CACHE_TIME.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
              .refreshAheadCache(
                  JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME,
                  null,
                  // virtual threads: no idle thread kept, none that holds the JVM open
                  Executors.newVirtualThreadPerTaskExecutor(),
                  true,
                  null,
                  false)
              .rateLimited(JWKS_REFETCH_INTERVAL.toMillis())
              .build();
      JWTProcessor<SecurityContext> jwksProcessor =
          processor(
              new JWSVerificationKeySelector<>(
                  Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
      processors.put(JWSAlgorithm.RS256, jwksProcessor);
      processors.put(JWSAlgorithm.ES256, jwksProcessor);
    } else {
      jwks = null;
    }
    processorByAlgorithm = Map.copyOf(processors);
    acceptedAlgorithms =
        processorByAlgorithm.keySet().stream()
            .map(JWSAlgorithm::getName)
            .sorted()
            .collect(joining(", "));
  }

  /**
   * The identity a valid token carries.
   *
   * @throws InvalidCredentialsException with a client-safe reason when the token is refused
   */
  public VerifiedToken verify(String token) {
    SignedJWT jwt = parseSigned(token);
    JWTProcessor<SecurityContext> processor =
        processorByAlgorithm.get(jwt.getHeader().getAlgorithm());
    if (processor == null) {
      throw new InvalidCredentialsException(
          "the token's signing algorithm is not accepted; accepted: " + acceptedAlgorithms);
    }
    try {
      ACCEPTED_TYPES.verify(jwt.getHeader().getType(), null);
    } catch (BadJOSEException e) {
      throw new InvalidCredentialsException(
          "the token's type (typ header) is not accepted; accepted: JWT, at+jwt or none");
    }
    JWTClaimsSet claims = verifySignature(processor, jwt);
    checkValidity(claims, Instant.now());
    return identity(claims);
  }

  private static SignedJWT parseSigned(String token) {
    if (token == null || token.isBlank())
      throw new InvalidCredentialsException("the token is empty");
    JWT jwt;
    try {
      jwt = JWTParser.parse(token.strip());
    } catch (ParseException e) {
      throw new InvalidCredentialsException(
          "the token is not a JWT: three base64url parts separated by dots are expected");
    }
    return switch (jwt) {
      case SignedJWT signed -> signed;
      case PlainJWT unsigned ->
          throw new InvalidCredentialsException("the token is unsigned (alg none), never accepted");
      default ->
          throw new InvalidCredentialsException(
              "the token is encrypted (JWE); only signed tokens are accepted");
    };
  }

  private static JWTProcessor<SecurityContext> processor(JWSKeySelector<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(ACCEPTED_TYPES);
    processor.setJWSKeySelector(keys);
    // checkValidity does it, with a reason for each claim where nimbus has one message for all
    processor.setJWTClaimsSetVerifier(null);
    return processor;
  }

  private JWTClaimsSet verifySignature(JWTProcessor<SecurityContext> processor, SignedJWT jwt) {
    try {
      return processor.process(jwt, null);
    } catch (BadJWSException e) {
      throw new InvalidCredentialsException("the token's signature does not verify");
    } catch (BadJWTException e) {
      throw new InvalidCredentialsException("the token's claims are not a valid JSON claims set");
    } catch (BadJOSEException e) {
      // the type and algorithm were checked before: what is left is a kid the JWKS lacks
      throw unknownSigningKey();
    } catch (RateLimitReachedException e) {
      // no refetch allowed yet: either the keys are down or the kid is unknown even after one
      throw jwks.latestFetchFailed() ? cannotFetchKeys() : unknownSigningKey();
    } catch (KeySourceException e) {
      throw cannotFetchKeys();
    } catch (JOSEException e) {
      throw new InvalidCredentialsException(
          "the token's signature cannot be checked with the key it names");
    }
  }

  private static InvalidCredentialsException unknownSigningKey() {
    return new InvalidCredentialsException(
        "the token's signing key (kid) is not among the published signing keys");
  }

  private static InvalidCredentialsException cannotFetchKeys() {
    return new InvalidCredentialsException(
        "cannot fetch the signing keys to check the token; try again later");
  }

  private void checkValidity(JWTClaimsSet claims, Instant now) {
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new InvalidCredentialsException(
          "the token has no expiry (claim exp), which is required");
    }
    if (expiry.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
      throw new InvalidCredentialsException("the token has expired");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && notBefore.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw new InvalidCredentialsException("the token is not valid yet (claim nbf)");
    }
    if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
      throw new InvalidCredentialsException("the token's issuer is not accepted");
    }
    if (settings.audience() != null && !claims.getAudience().contains(settings.audience())) {
      throw new InvalidCredentialsException("the token's audience is not accepted");
    }
  }

  private VerifiedToken identity(JWTClaimsSet claims) {
    String tenantId = stringClaim(claims, settings.tenantClaim());
    if (tenantId == null || tenantId.isBlank()) {
      throw new InvalidCredentialsException(
          "the token names no tenant (claim " + settings.tenantClaim() + ")");
    }
    String user = stringClaim(claims, settings.userClaim());
    return new VerifiedToken(
        claims.getSubject(),
        tenantId,
        user == null || user.isBlank() ? claims.getSubject() : user,
        roles(claimAt(claims, settings.rolesClaim())));
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claimAt(claims, name);
    if (value == null || value instanceof String) return (String) value;
    throw new InvalidCredentialsException("the token's claim " + name + " is not a string");
  }

  /**
   * The claim of that name or else the one its dotted path leads to through nested objects. The
   * whole name is tried first because some issuers' claim names contain dots of their own (Auth0
   * namespaces custom claims with URLs).
   */
  private static Object claimAt(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value != null || !name.contains(".")) return value;
    value = claims.getClaims();
    for (String step : name.split("\\.")) {
      if (!(value instanceof Map<?, ?> object)) return null;
      value = object.get(step);
    }
    return value;
  }

  private static Set<String> roles(Object claim) {
    List<?> values =
        claim instanceof List<?> list ? list : claim == null ? List.of() : List.of(claim);
    return values.stream()
        .map(ROLE_BY_CLAIM_VALUE::get)
        .filter(Objects::nonNull)
        .collect(toUnmodifiableSet());
  }

  /**
   * The JWKS at its URL, fetched for nimbus's cache: logs each failed fetch at WARN with the URL
   * (never a token) and remembers whether the latest failed, so that a refetch the rate limiter
   * turns down reads as the outage it is rather than as an unknown key.
   */
  private static final class WatchedJwks extends JWKSetSourceWrapper<SecurityContext> {
    private final URI url;
    private volatile boolean latestFetchFailed;

    WatchedJwks(URI url) {
      super(fetchesFrom(url));
      this.url = url;
    }

    private static JWKSetSource<SecurityContext> fetchesFrom(URI url) {
      try {
        return new URLBasedJWKSetSource<>(
            url.toURL(),
            new DefaultResourceRetriever(
                JWKS_HTTP_TIMEOUT_MILLIS,
                JWKS_HTTP_TIMEOUT_MILLIS,
                JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT));
      } catch (MalformedURLException | IllegalArgumentException e) {
        throw new InvalidConfigurationException(
            JwtSettings.JWKS_URL_VARIABLE + " is not a usable URL: '" + url + "'");
      }
    }

    boolean latestFetchFailed() {
      return latestFetchFailed;
    }

    @Override
    public JWKSet getJWKSet(
        JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
        throws KeySourceException {
      try {
        JWKSet keys = getSource().getJWKSet(refreshEvaluator, currentTime, context);
        latestFetchFailed = false;
        return keys;
      } catch (KeySourceException e) {
        latestFetchFailed = true;
        LOG.warn("cannot fetch the JWT signing keys from {}: {}", url, e.getMessage());
        throw e;
      }
    }
  }
}
