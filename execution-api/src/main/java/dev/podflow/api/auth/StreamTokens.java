package dev.podflow.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.podflow.store.Json;
import dev.podflow.store.auth.Role;
import dev.podflow.store.auth.StreamTokenKeyDao;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Short-lived credentials for a browser's EventSource, which cannot send an {@code Authorization}
 * header: {@link #mint} gives a caller a token that, for {@link #LIFETIME}, opens a live stream
 * ({@link Access#USER_STREAM}) as exactly that caller. A token reads {@code
 * pfs_<payload>.<signature>}: the payload is base64url JSON {@code [tenant, user, role, actor,
 * expiry in epoch seconds]}, the signature its HMAC-SHA256 under the key all API replicas of a
 * database share (migration V31), so any replica checks what another minted and nothing is stored
 * per token. The key is read at first use and kept, so that the API starts without a database
 * (alive, not ready) as before. Only opening is timed: a stream outlives its token. Failures say
 * what was wrong without repeating the token, which is never logged. Thread-safe.
 */
public final class StreamTokens {
  /** The query parameter that carries a stream token. */
  public static final String PARAMETER = "streamToken";

  /** How long a token opens streams after it was minted. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  private static final String PREFIX = "pfs_";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int CLAIMS = 5;
  private static final String RENEW = ": ask POST /api/v1/stream-tokens for a new one";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final Supplier<byte[]> keySource;
  private final Clock clock;
  private volatile SecretKeySpec key;

  StreamTokens(Supplier<byte[]> keySource, Clock clock) {
    this.keySource = Objects.requireNonNull(keySource, "keySource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Tokens signed with the database's key, read through {@code readers}: a pool acting as {@code
   * podflow_metrics}, the one role that may read it ({@code podflow_stream_token_key()}).
   */
  public static StreamTokens fromDatabase(Jdbi readers, Clock clock) {
    return new StreamTokens(
        () ->
            readers
                .withExtension(StreamTokenKeyDao.class, StreamTokenKeyDao::streamTokenKey)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "stream_token_key holds no key; migration V31 creates it")),
        clock);
  }

  /** A token just minted and the instant it stops opening streams. */
  public record Minted(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Minted[token=<redacted>, expiresAt=" + expiresAt + "]";
    }
  }

  /** A token acting as {@code principal}, for {@link #LIFETIME} (to the second). */
  public Minted mint(Principal principal) {
    Instant expiresAt = clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    ArrayNode claims =
        Json.MAPPER
            .createArrayNode()
            .add(principal.tenantId())
            .add(principal.user())
            .add(principal.role().wireName())
            .add(principal.actor())
            .add(expiresAt.getEpochSecond());
    String signed =
        PREFIX + ENCODER.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
    return new Minted(signed + "." + ENCODER.encodeToString(sign(signed)), expiresAt);
  }

  /**
   * The principal that minted {@code token}.
   *
   * @throws InvalidCredentialsException when the token is malformed, its signature does not match
   *     (altered, or minted for another database) or it has expired
   */
  Principal verify(String token) {
    int dot = token.lastIndexOf('.');
    if (!token.startsWith(PREFIX) || dot < 0) throw malformed();
    String signed = token.substring(0, dot);
    if (!MessageDigest.isEqual(sign(signed), decode(token.substring(dot + 1)))) {
      throw new InvalidCredentialsException(
          "the stream token's signature does not match: it was altered or minted elsewhere"
              + RENEW);
    }
    // Signed by this key, so minted here: the payload is one mint wrote.
    JsonNode claims =
        Json.parse(new String(decode(signed.substring(PREFIX.length())), StandardCharsets.UTF_8));
    if (!claims.isArray() || claims.size() != CLAIMS) throw malformed();
    if (!clock.instant().isBefore(Instant.ofEpochSecond(claims.get(4).asLong()))) {
      throw new InvalidCredentialsException("stream token expired" + RENEW);
    }
    return new Principal(
        claims.get(0).textValue(),
        claims.get(1).textValue(),
        Role.fromWireName(claims.get(2).textValue()).orElseThrow(StreamTokens::malformed),
        claims.get(3).textValue());
  }

  private byte[] sign(String signed) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key());
      return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }

  /** The key, read on first use; a failed read (no database yet) is tried again next time. */
  private SecretKeySpec key() {
    SecretKeySpec current = key;
    if (current == null) {
      synchronized (this) {
        if (key == null) key = new SecretKeySpec(keySource.get(), ALGORITHM);
        current = key;
      }
    }
    return current;
  }

  private static byte[] decode(String base64url) {
    try {
      return DECODER.decode(base64url);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
  }

  private static InvalidCredentialsException malformed() {
    return new InvalidCredentialsException("the stream token is malformed" + RENEW);
  }
}
