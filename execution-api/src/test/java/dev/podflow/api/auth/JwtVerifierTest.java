package dev.podflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.podflow.store.InvalidConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Real keys, real signatures and a real JWKS endpoint on loopback (the JDK's HTTP server, counting
 * its fetches): what the verifier accepts, what it refuses and why, and how often it asks the
 * identity provider for keys.
 */
class JwtVerifierTest {
  private static final String SECRET = "a-supabase-style-jwt-secret-of-at-least-32-bytes";
  private static final String ISSUER = "https://abcdefgh.supabase.co/auth/v1";

  private static RSAKey rsaKey;
  private static ECKey rotatedKey;
  private static ECKey unpublishedKey;
  private static ECKey ecKey;

  private HttpServer jwksServer;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private volatile JWKSet publishedKeys;
  private volatile int jwksStatus = 200;
  private String jwksUrl;

  @BeforeAll
  static void generateKeys() throws JOSEException {
    rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    // EC keys are quick to make; RS256 is covered by rsaKey
    rotatedKey = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
    unpublishedKey = new ECKeyGenerator(Curve.P_256).keyID("ec-unknown").generate();
    ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
  }

  @BeforeEach
  void serveJwks() throws IOException {
    publishedKeys = new JWKSet(List.<JWK>of(rsaKey, ecKey));
    jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwksServer.createContext(
        "/jwks.json",
        exchange -> {
          jwksFetches.incrementAndGet();
          byte[] body = publishedKeys.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(jwksStatus, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    jwksServer.start();
    jwksUrl = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
  }

  @AfterEach
  void stopJwks() {
    jwksServer.stop(0);
  }

  // --- HS256 -----------------------------------------------------------------------------------

  @Test
  void acceptsAnHs256TokenSignedWithTheSecret() {
    VerifiedToken verified =
        secretVerifier().verify(hs256(claims().subject("u-1").claim("role", "operator"), SECRET));

    assertThat(verified).isEqualTo(new VerifiedToken("u-1", "acme", "u-1", Set.of("operator")));
  }

  @Test
  void acceptsAnHs256TokenWithAKidSinceThereIsOnlyOneSecret() throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("whatever").build(), claims().build());
    jwt.sign(new MACSigner(SECRET));

    assertThat(secretVerifier().verify(jwt.serialize()).tenantId()).isEqualTo("acme");
  }

  @Test
  void refusesAnHs256TokenSignedWithAnotherSecret() {
    String token = hs256(claims(), "another-secret-that-is-also-32-bytes-long");

    assertRefused(secretVerifier(), token, "the token's signature does not verify");
  }

  @Test
  void refusesAnExpiredTokenButToleratesAMinuteOfClockSkew() {
    JwtVerifier verifier = secretVerifier();
    String expired = hs256(claims().expirationTime(secondsFromNow(-120)), SECRET);
    String withinSkew = hs256(claims().expirationTime(secondsFromNow(-30)), SECRET);

    assertRefused(verifier, expired, "the token has expired");
    assertThat(verifier.verify(withinSkew).tenantId()).isEqualTo("acme");
  }

  @Test
  void refusesATokenNotValidYetButToleratesAMinuteOfClockSkew() {
    JwtVerifier verifier = secretVerifier();
    String future = hs256(claims().notBeforeTime(secondsFromNow(120)), SECRET);
    String withinSkew = hs256(claims().notBeforeTime(secondsFromNow(30)), SECRET);

    assertRefused(verifier, future, "the token is not valid yet (claim nbf)");
    assertThat(verifier.verify(withinSkew).tenantId()).isEqualTo("acme");
  }

  @Test
  void refusesATokenWithoutExpiry() {
    String token = hs256(claims().expirationTime(null), SECRET);

    assertRefused(secretVerifier(), token, "the token has no expiry (claim exp)");
  }

  @Test
  void checksIssuerAndAudienceWhenConfigured() {
    JwtVerifier verifier =
        verifier(
            Map.of(
                "PODFLOW_JWT_SECRET", SECRET,
                "PODFLOW_JWT_ISSUER", ISSUER,
                "PODFLOW_JWT_AUDIENCE", "podflow"));

    assertThat(
            verifier
                .verify(
                    hs256(claims().issuer(ISSUER).audience(List.of("other", "podflow")), SECRET))
                .tenantId())
        .isEqualTo("acme");
    assertRefused(
        verifier,
        hs256(claims().issuer("https://evil.example").audience("podflow"), SECRET),
        "the token's issuer is not accepted");
    assertRefused(
        verifier,
        hs256(claims().audience("podflow"), SECRET),
        "the token's issuer is not accepted");
    assertRefused(
        verifier,
        hs256(claims().issuer(ISSUER).audience("other"), SECRET),
        "the token's audience is not accepted");
    assertRefused(
        verifier, hs256(claims().issuer(ISSUER), SECRET), "the token's audience is not accepted");
  }

  @Test
  void refusesUnsignedTokens() {
    JwtVerifier verifier =
        verifier(Map.of("PODFLOW_JWT_SECRET", SECRET, "PODFLOW_JWT_JWKS_URL", jwksUrl));
    String nimbusPlain = new PlainJWT(claims().build()).serialize();
    String handMade =
        Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")
            + "."
            + Base64URL.encode(claims().build().toString())
            + ".";
    String noneInCapitals =
        Base64URL.encode("{\"alg\":\"NONE\"}")
            + "."
            + Base64URL.encode(claims().build().toString())
            + ".c2ln";

    assertRefused(verifier, nimbusPlain, "alg none");
    assertRefused(verifier, handMade, "alg none");
    assertRefused(verifier, noneInCapitals, "the token's signing algorithm is not accepted");
    assertThat(jwksFetches).hasValue(0);
  }

  @Test
  void refusesGarbage() {
    assertRefused(secretVerifier(), "not-a-jwt", "the token is not a JWT");
    assertThatThrownBy(() -> secretVerifier().verify(" "))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessage("the token is empty");
  }

  // --- JWKS: RS256, ES256, rotation, outages ---------------------------------------------------

  @Test
  void acceptsRs256AndEs256TokensFromTheJwksFetchingItOnce() {
    JwtVerifier verifier = jwksVerifier();

    assertThat(jwksFetches).as("fetched lazily").hasValue(0);
    assertThat(verifier.verify(signed(rsaKey, claims().subject("r"))).subject()).isEqualTo("r");
    assertThat(verifier.verify(signed(ecKey, claims().subject("e"))).subject()).isEqualTo("e");
    assertThat(verifier.verify(signed(rsaKey, claims().subject("r2"))).subject()).isEqualTo("r2");
    assertThat(jwksFetches).as("cached").hasValue(1);
  }

  @Test
  void refusesAnHs256TokenSignedWithThePublicKeyWhenOnlyTheJwksIsConfigured() throws Exception {
    byte[] publicKeyBytes = rsaKey.toRSAPublicKey().getEncoded();
    SignedJWT confused =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsaKey.getKeyID()).build(),
            claims().build());
    confused.sign(new MACSigner(publicKeyBytes));

    assertRefused(
        jwksVerifier(),
        confused.serialize(),
        "the token's signing algorithm is not accepted; accepted: ES256, RS256");
    assertThat(jwksFetches).hasValue(0);
  }

  @Test
  void refusesATokenSignedByAnotherKeyUnderAPublishedKid() {
    ECKey impostor = new ECKey.Builder(unpublishedKey).keyID(ecKey.getKeyID()).build();

    assertRefused(
        jwksVerifier(), signed(impostor, claims()), "the token's signature does not verify");
  }

  @Test
  void fetchesTheJwksAgainForANewKidButNotForEveryUnknownOne() {
    JwtVerifier verifier = jwksVerifier();
    assertThat(verifier.verify(signed(rsaKey, claims())).tenantId()).isEqualTo("acme");
    assertThat(jwksFetches).hasValue(1);

    publishedKeys = new JWKSet(List.<JWK>of(rsaKey, ecKey, rotatedKey));
    assertThat(verifier.verify(signed(rotatedKey, claims())).tenantId()).isEqualTo("acme");
    assertThat(jwksFetches).as("one refetch for the rotated key").hasValue(2);

    String unknown = signed(unpublishedKey, claims());
    for (int i = 0; i < 20; i++) {
      assertRefused(verifier, unknown, "the token's signing key (kid) is not among");
    }
    assertThat(jwksFetches).as("rate limited").hasValue(2);
    assertThat(verifier.verify(signed(rsaKey, claims())).tenantId()).isEqualTo("acme");
  }

  @Test
  void aFloodOfUnknownKidsFetchesAtMostTwiceIn30Seconds() {
    JwtVerifier verifier = jwksVerifier();
    String unknown = signed(unpublishedKey, claims());

    for (int i = 0; i < 50; i++) {
      assertRefused(verifier, unknown, "the token's signing key (kid) is not among");
    }
    assertThat(jwksFetches.get()).isBetween(1, 2);
  }

  @Test
  void aJwksThatCannotBeFetchedRefusesWithAReasonAndLogsTheUrl() {
    jwksStatus = 500;
    JwtVerifier verifier = jwksVerifier();
    String token = signed(rsaKey, claims());
    ListAppender<ILoggingEvent> logged = captureLogs();
    try {
      for (int i = 0; i < 5; i++) {
        assertRefused(verifier, token, "cannot fetch the signing keys");
      }
    } finally {
      verifierLogger().detachAppender(logged);
    }

    assertThat(jwksFetches.get()).as("retried once per fetch, rate limited").isBetween(2, 4);
    assertThat(logged.list)
        .isNotEmpty()
        .allSatisfy(
            event -> {
              assertThat(event.getLevel().toString()).isEqualTo("WARN");
              assertThat(event.getFormattedMessage()).contains(jwksUrl).doesNotContain(token);
            });
  }

  @Test
  void bothKeySourcesTogetherEachVerifyTheirOwnAlgorithm() {
    JwtVerifier verifier =
        verifier(Map.of("PODFLOW_JWT_SECRET", SECRET, "PODFLOW_JWT_JWKS_URL", jwksUrl));

    assertThat(verifier.verify(hs256(claims().subject("h"), SECRET)).subject()).isEqualTo("h");
    assertThat(jwksFetches).hasValue(0);
    assertThat(verifier.verify(signed(ecKey, claims().subject("e"))).subject()).isEqualTo("e");
    assertThat(jwksFetches).hasValue(1);
  }

  // --- claims: tenant, user, roles ------------------------------------------------------------

  @Test
  void acceptsASupabaseTokenAsItIsByConfigurationOnly() {
    JwtVerifier verifier =
        verifier(
            Map.of(
                "PODFLOW_JWT_SECRET", SECRET,
                "PODFLOW_JWT_ISSUER", ISSUER,
                "PODFLOW_JWT_AUDIENCE", "authenticated",
                "PODFLOW_JWT_TENANT_CLAIM", "app_metadata.tenant_id",
                "PODFLOW_JWT_USER_CLAIM", "email"));
    String token = hs256(supabaseClaims("authenticated"), SECRET);

    assertThat(verifier.verify(token))
        .isEqualTo(
            new VerifiedToken(
                "8a4c7d1e-2f3b-4c5d-9e6f-7a8b9c0d1e2f", "acme", "ada@example.com", Set.of("user")));
  }

  @Test
  void supabaseServiceRoleGrantsNoRole() {
    JwtVerifier verifier =
        verifier(
            Map.of(
                "PODFLOW_JWT_SECRET",
                SECRET,
                "PODFLOW_JWT_TENANT_CLAIM",
                "app_metadata.tenant_id"));

    VerifiedToken verified = verifier.verify(hs256(supabaseClaims("service_role"), SECRET));

    assertThat(verified.roles()).isEmpty();
    assertThat(verified.tenantId()).isEqualTo("acme");
  }

  @Test
  void readsRolesFromAnArrayAndIgnoresUnknownNames() {
    JwtVerifier verifier =
        verifier(Map.of("PODFLOW_JWT_SECRET", SECRET, "PODFLOW_JWT_ROLES_CLAIM", "roles"));
    String token =
        hs256(claims().claim("roles", List.of("admin", "viewer", "operator", "anon", 7)), SECRET);

    assertThat(verifier.verify(token).roles()).containsExactlyInAnyOrder("admin", "operator");
  }

  @Test
  void aTokenWithoutRolesStillVerifies() {
    assertThat(secretVerifier().verify(hs256(claims(), SECRET)).roles()).isEmpty();
  }

  @Test
  void readsAClaimWhoseOwnNameHasDots() {
    JwtVerifier verifier =
        verifier(
            Map.of(
                "PODFLOW_JWT_SECRET",
                SECRET,
                "PODFLOW_JWT_TENANT_CLAIM",
                "https://podflow.dev/tenant"));
    String token =
        hs256(
            new JWTClaimsSet.Builder()
                .expirationTime(secondsFromNow(300))
                .claim("https://podflow.dev/tenant", "namespaced"),
            SECRET);

    assertThat(verifier.verify(token).tenantId()).isEqualTo("namespaced");
  }

  @Test
  void fallsBackToSubWhenTheUserClaimIsMissing() {
    JwtVerifier verifier =
        verifier(Map.of("PODFLOW_JWT_SECRET", SECRET, "PODFLOW_JWT_USER_CLAIM", "email"));

    assertThat(verifier.verify(hs256(claims().subject("u-9"), SECRET)).user()).isEqualTo("u-9");
  }

  @Test
  void refusesATokenThatNamesNoTenant() {
    JwtVerifier verifier = secretVerifier();
    String missing =
        hs256(new JWTClaimsSet.Builder().subject("u").expirationTime(secondsFromNow(300)), SECRET);
    String blank = hs256(claims().claim("tenant_id", ""), SECRET);
    String notAString = hs256(claims().claim("tenant_id", 42), SECRET);

    assertRefused(verifier, missing, "the token names no tenant (claim tenant_id)");
    assertRefused(verifier, blank, "the token names no tenant (claim tenant_id)");
    assertRefused(verifier, notAString, "the token's claim tenant_id is not a string");
  }

  // --- settings --------------------------------------------------------------------------------

  @Test
  void jwtIsOffWithoutASecretOrAJwksUrl() {
    assertThat(JwtSettings.fromEnvironment(Map.of())).isEmpty();
    assertThat(
            JwtSettings.fromEnvironment(
                Map.of("PODFLOW_JWT_SECRET", " ", "PODFLOW_JWT_ISSUER", ISSUER)))
        .isEmpty();
  }

  @Test
  void settingsHaveDefaultsForTheClaims() {
    JwtSettings settings =
        JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_JWKS_URL", jwksUrl)).orElseThrow();

    assertThat(settings.tenantClaim()).isEqualTo("tenant_id");
    assertThat(settings.userClaim()).isEqualTo("sub");
    assertThat(settings.rolesClaim()).isEqualTo("role");
    assertThat(settings.hmacSecret()).isNull();
    assertThat(settings.jwksUrl()).hasToString(jwksUrl);
  }

  @Test
  void refusesASecretShorterThan32BytesWithoutShowingIt() {
    String shortSecret = "only-31-bytes-long-secret-value";

    assertThatThrownBy(() -> JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_SECRET", shortSecret)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("PODFLOW_JWT_SECRET")
        .hasMessageContaining("at least 32 bytes")
        .message()
        .doesNotContain(shortSecret);
  }

  @Test
  void settingsToStringRedactsTheSecret() {
    JwtSettings settings =
        JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_SECRET", SECRET)).orElseThrow();

    assertThat(settings.toString()).doesNotContain(SECRET).contains("<redacted>");
  }

  @Test
  void refusesAJwksUrlThatIsNotAnAbsoluteHttpUrl() {
    for (String url :
        List.of("ftp://keys.example/jwks.json", "/jwks.json", "https:///jwks", "not a url")) {
      assertThatThrownBy(() -> JwtSettings.fromEnvironment(Map.of("PODFLOW_JWT_JWKS_URL", url)))
          .as(url)
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("PODFLOW_JWT_JWKS_URL");
    }
  }

  @Test
  void refusesAnEmptyClaimName() {
    for (String claim : List.of("", "  ", "app_metadata.", ".tenant_id", "a..b")) {
      Map<String, String> env =
          Map.of("PODFLOW_JWT_SECRET", SECRET, "PODFLOW_JWT_TENANT_CLAIM", claim);
      assertThatThrownBy(() -> JwtSettings.fromEnvironment(env))
          .as("'%s'", claim)
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("PODFLOW_JWT_TENANT_CLAIM");
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Refused for {@code reason}, and the message holds neither the token nor any part of it. */
  private static void assertRefused(JwtVerifier verifier, String token, String reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining(reason)
        .satisfies(
            e -> {
              List<String> parts = new ArrayList<>(List.of(token.split("\\.")));
              parts.add(token);
              for (String part : parts) {
                if (part.length() >= 8) assertThat(e.getMessage()).doesNotContain(part);
              }
            });
  }

  private JwtVerifier secretVerifier() {
    return verifier(Map.of("PODFLOW_JWT_SECRET", SECRET));
  }

  private JwtVerifier jwksVerifier() {
    return verifier(Map.of("PODFLOW_JWT_JWKS_URL", jwksUrl));
  }

  private static JwtVerifier verifier(Map<String, String> env) {
    return new JwtVerifier(JwtSettings.fromEnvironment(env).orElseThrow());
  }

  /** A valid token's claims: tenant {@code acme}, expiring in five minutes. */
  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .claim("tenant_id", "acme")
        .issueTime(new Date())
        .expirationTime(secondsFromNow(300));
  }

  /** Claims the way Supabase Auth issues them, the tenant set as custom app_metadata. */
  private static JWTClaimsSet.Builder supabaseClaims(String role) {
    Map<String, Object> appMetadata = new HashMap<>();
    appMetadata.put("provider", "email");
    appMetadata.put("providers", List.of("email"));
    appMetadata.put("tenant_id", "acme");
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("8a4c7d1e-2f3b-4c5d-9e6f-7a8b9c0d1e2f")
        .audience("authenticated")
        .issueTime(new Date())
        .expirationTime(secondsFromNow(3600))
        .claim("email", "ada@example.com")
        .claim("phone", "")
        .claim("app_metadata", appMetadata)
        .claim("user_metadata", Map.of())
        .claim("role", role)
        .claim("aal", "aal1")
        .claim("session_id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        .claim("is_anonymous", false);
  }

  private static Date secondsFromNow(long seconds) {
    return Date.from(Instant.now().plus(Duration.ofSeconds(seconds)));
  }

  private static String hs256(JWTClaimsSet.Builder claims, String secret) {
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
        claims,
        secretSigner(secret));
  }

  private static JWSSigner secretSigner(String secret) {
    try {
      return new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String signed(RSAKey key, JWTClaimsSet.Builder claims) {
    try {
      return sign(
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
          claims,
          new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signed(ECKey key, JWTClaimsSet.Builder claims) {
    try {
      return sign(
          new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
          claims,
          new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSHeader header, JWTClaimsSet.Builder claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static Logger verifierLogger() {
    return (Logger) LoggerFactory.getLogger(JwtVerifier.class);
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    verifierLogger().addAppender(appender);
    return appender;
  }
}
