package dev.podflow.store.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.user.UserDao;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Issues, lists, revokes and checks API keys. A key reads {@code pfk_<12 characters>_<40
 * characters>}, base62: the part up to the second underscore is its id (not secret, shown by {@link
 * #list}), the rest its secret, of which only the SHA-256 is stored, so a leaked table
 * authenticates no one. Thread-safe.
 */
public final class ApiKeys {
  static final String KEY_PREFIX = "pfk_";
  private static final int ID_CHARS = 12;
  private static final int SECRET_CHARS = 40;
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern KEY_FORMAT =
      Pattern.compile("pfk_[0-9A-Za-z]{" + ID_CHARS + "}_[0-9A-Za-z]{" + SECRET_CHARS + "}");

  /** The longest user name: what {@code users.id} (V27) takes. */
  public static final int USER_NAME_LIMIT = 200;

  /** A tenant id: what {@code tenants_id_format} (V11) accepts. */
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Clock clock;

  public ApiKeys(Jdbi jdbi, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A key just issued: as stored, and the whole key a client presents (id and secret part), which
   * exists nowhere else.
   */
  public record IssuedKey(ApiKey key, String wholeKey) {
    @Override
    public String toString() {
      return "IssuedKey[" + key + ", wholeKey=<redacted>]";
    }
  }

  /**
   * Issues a key for {@code tenantId}, creating the tenant if it does not exist yet, and records
   * {@code key.created} by {@code actor} in the tenant's audit log in the same transaction. {@code
   * user} and {@code expiresAt} may be null; a {@code user} is recorded as a user of the tenant
   * with the key's role (its notifications go to it).
   *
   * @param actor who issues it: {@code cli} for {@code ./podflow keys}, else the caller's label
   *     ({@code demo}, {@code bench}, {@code test})
   * @throws IllegalArgumentException for a tenant id PostgreSQL would refuse, a user name over
   *     {@value #USER_NAME_LIMIT} characters, or an expiry that has passed
   */
  public IssuedKey create(
      String tenantId, Role role, String user, Instant expiresAt, String actor) {
    requireValidTenantId(tenantId);
    Objects.requireNonNull(role, "role");
    if (user != null && user.isBlank()) {
      throw new IllegalArgumentException("the user name is blank; leave it out or name someone");
    }
    if (user != null && user.length() > USER_NAME_LIMIT) {
      throw new IllegalArgumentException(
          "the user name is longer than " + USER_NAME_LIMIT + " characters");
    }
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw new IllegalArgumentException("the expiry " + expiresAt + " has already passed");
    }
    String id = KEY_PREFIX + random(ID_CHARS);
    String secretPart = random(SECRET_CHARS);
    ApiKey key =
        jdbi.inTransaction(
            h -> {
              ApiKeyDao dao = h.attach(ApiKeyDao.class);
              dao.tenantEnsure(tenantId);
              ApiKey inserted =
                  dao.keyInsert(id, sha256(secretPart), tenantId, role.wireName(), user, expiresAt);
              if (user != null)
                h.attach(UserDao.class).userAddRole(tenantId, user, role.wireName());
              ObjectNode details = describe(inserted);
              details.put(
                  "expiresAt",
                  inserted.expiresAt() == null ? null : inserted.expiresAt().toString());
              h.attach(AuditDao.class)
                  .record(tenantId, actor, AuditAction.KEY_CREATED, id, details);
              return inserted;
            });
    return new IssuedKey(key, id + "_" + secretPart);
  }

  /** Every key, newest first, without secrets. */
  public List<ApiKey> list() {
    return jdbi.withExtension(ApiKeyDao.class, ApiKeyDao::keyList);
  }

  /** The key with this id, without its secret. */
  public Optional<ApiKey> find(String id) {
    return jdbi.withExtension(ApiKeyDao.class, dao -> dao.keyGet(id));
  }

  /**
   * Revokes the key with this id; the key as it is now, or empty when there is none. Revoking an
   * active key records {@code key.revoked} by {@code actor} in the key's tenant's audit log, in the
   * same transaction; revoking it again changes nothing and records nothing.
   */
  public Optional<ApiKey> revoke(String id, String actor) {
    return jdbi.inTransaction(
        h -> {
          ApiKeyDao dao = h.attach(ApiKeyDao.class);
          Optional<ApiKey> before = dao.keyGetForUpdate(id);
          if (before.isEmpty()) return before;
          Optional<ApiKey> after = dao.keyRevoke(id);
          if (before.get().revokedAt() == null) {
            ApiKey key = after.orElseThrow();
            h.attach(AuditDao.class)
                .record(key.tenantId(), actor, AuditAction.KEY_REVOKED, key.id(), describe(key));
          }
          return after;
        });
  }

  /**
   * Revokes every active key of {@code user} in {@code tenantId}, recording {@code key.revoked} by
   * {@code actor} for each in the same transaction; how many there were.
   */
  public int revokeAllOf(String tenantId, String user, String actor) {
    return jdbi.inTransaction(
        h -> {
          List<ApiKey> revoked = h.attach(ApiKeyDao.class).keyRevokeOfUser(tenantId, user);
          AuditDao audit = h.attach(AuditDao.class);
          for (ApiKey key : revoked) {
            audit.record(tenantId, actor, AuditAction.KEY_REVOKED, key.id(), describe(key));
          }
          return revoked.size();
        });
  }

  /** An audit entry's details of a key: its role and user, never its secret or hash. */
  private static ObjectNode describe(ApiKey key) {
    ObjectNode details = Json.MAPPER.createObjectNode();
    details.put("role", key.role().wireName());
    details.put("user", key.user());
    return details;
  }

  /**
   * The key that {@code presented} is, when it is a well-formed key whose secret matches and which
   * is neither revoked nor expired; otherwise empty. Never logs or keeps {@code presented}.
   */
  public Optional<ApiKey> check(String presented) {
    if (presented == null || !KEY_FORMAT.matcher(presented).matches()) return Optional.empty();
    int split = KEY_PREFIX.length() + ID_CHARS;
    String id = presented.substring(0, split);
    byte[] hash = sha256(presented.substring(split + 1));
    return jdbi.withExtension(ApiKeyDao.class, dao -> dao.keyFindForCheck(id))
        .filter(stored -> MessageDigest.isEqual(stored.secretHash(), hash))
        .map(StoredApiKey::key)
        .filter(key -> key.activeAt(clock.instant()));
  }

  /** Whether {@code candidate} has the shape of an API key (and so is not a JWT). */
  public static boolean looksLikeKey(String candidate) {
    return candidate != null && candidate.startsWith(KEY_PREFIX);
  }

  /**
   * @throws IllegalArgumentException unless {@code tenantId} is 1 to 128 letters, digits, {@code _
   *     . -}, starting with a letter or digit
   */
  public static void requireValidTenantId(String tenantId) {
    if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
      throw new IllegalArgumentException(
          "a tenant id is 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or"
              + " digit; got '"
              + tenantId
              + "'");
    }
  }

  private static String random(int chars) {
    StringBuilder out = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
