package dev.podflow.api.auth;

import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.user.UserDao;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each caller's user in {@code users}, with its role, the first time an API process sees
 * it: how a JWT's user (who has no key) becomes a user of its tenant whom notifications reach and
 * whose email an admin may set. Each (tenant, user, role) costs one statement per process, not one
 * per request; the statement writes nothing when the user already has the role. A failure to record
 * is logged and fails no request. Thread-safe.
 */
public final class KnownUsers {
  private static final Logger LOG = LoggerFactory.getLogger(KnownUsers.class);

  /** Past this many entries the memory starts over: a re-recorded user costs one statement. */
  static final int REMEMBERED_LIMIT = 100_000;

  private record Seen(String tenantId, String user, String role) {}

  private final Jdbi jdbi;
  private final Set<Seen> recorded = ConcurrentHashMap.newKeySet();

  /**
   * @param jdbi acting for the request's tenant (the API's pool, its tenant bound by the guard)
   */
  public KnownUsers(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** Records {@code principal}'s user, unless this process did already or it acts for no one. */
  void record(Principal principal) {
    if (principal.user() == null) return;
    Seen seen = new Seen(principal.tenantId(), principal.user(), principal.role().wireName());
    if (recorded.contains(seen)) return;
    String unstorable = unstorable(seen);
    if (unstorable != null) {
      LOG.warn(
          "execution-api - user {} of tenant {} is not recorded as a user: {}",
          seen.user(),
          seen.tenantId(),
          unstorable);
    } else {
      try {
        jdbi.useExtension(
            UserDao.class, dao -> dao.userAddRole(seen.tenantId(), seen.user(), seen.role()));
      } catch (RuntimeException e) {
        // Tried again on its next request.
        LOG.warn(
            "execution-api - recording user {} of tenant {} failed: {}",
            seen.user(),
            seen.tenantId(),
            e.toString());
        return;
      }
    }
    if (recorded.size() >= REMEMBERED_LIMIT) recorded.clear();
    recorded.add(seen);
  }

  /** Why the tables cannot hold this user, or null when they can. */
  private static String unstorable(Seen seen) {
    if (seen.user().length() > ApiKeys.USER_NAME_LIMIT) {
      return "its name is longer than " + ApiKeys.USER_NAME_LIMIT + " characters";
    }
    try {
      ApiKeys.requireValidTenantId(seen.tenantId());
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
