package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.podflow.store.auth.ApiKey;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code ./podflow keys} run in-process against the test database, its keys checked with {@link
 * ApiKeys#check} as the API would. Each test has a tenant of its own.
 */
class KeysCommandTest {
  private final TestDatabase testDb = TestDatabase.shared();
  private final Map<String, String> env = Map.of("DATABASE_URL", testDb.url());
  private final ApiKeys apiKeys = new ApiKeys(testDb.database().jdbi(), Clock.systemUTC());
  private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void createPrintsAKeyThatChecksAsItsTenantRoleAndUserAndCreatesTheTenant() {
    CommandRun run =
        CommandRun.run(
            env,
            "keys",
            "create",
            "--tenant",
            tenant,
            "--role",
            "operator",
            "--user",
            "alice",
            "--expires-in",
            "30d");

    assertThat(run.status()).as(run.err()).isZero();
    String key = run.lastWord();
    assertThat(run.out().strip().lines().reduce((first, second) -> second)).contains("key: " + key);
    ApiKey checked = apiKeys.check(key).orElseThrow();
    assertThat(checked.tenantId()).isEqualTo(tenant);
    assertThat(checked.role()).isEqualTo(Role.OPERATOR);
    assertThat(checked.user()).isEqualTo("alice");
    assertThat(checked.expiresAt())
        .isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(1, ChronoUnit.MINUTES));
    assertThat(run.out())
        .contains(checked.id(), tenant, "operator", "alice", "only this once")
        .containsOnlyOnce(key);
    assertThat(testDb.number("SELECT count(*) FROM tenants WHERE id = '" + tenant + "'"))
        .isEqualTo(1);
  }

  @Test
  void createWithAUserRecordsItAsAUserOfTheTenantWithEveryRoleItsKeysHave() {
    create("user", "--user", "carol");
    create("operator", "--user", "carol");
    create("user", "--user", "carol");

    assertThat(
            testDb.text(
                "SELECT array_to_string(roles, ',') FROM users WHERE tenant_id = '"
                    + tenant
                    + "' AND id = 'carol'"))
        .isEqualTo("operator,user");
    CommandRun tooLong =
        CommandRun.run(
            env, "keys", "create", "--tenant", tenant, "--role", "user", "--user", "u".repeat(201));
    assertThat(tooLong.status()).isEqualTo(2);
    assertThat(tooLong.err()).contains("longer than 200 characters");
  }

  @Test
  void listShowsEveryKeyWithoutItsSecret() {
    String key = create("admin");
    String id = idOf(key);

    CommandRun list = CommandRun.run(env, "keys", "list");

    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("ID").contains("STATE");
    assertThat(row(list, id)).contains(tenant, "admin", "never", "active");
    assertThat(list.out()).doesNotContain(key.substring(id.length() + 1));
  }

  @Test
  void aRevokedKeyIsRefusedAndRevokingAgainSaysSo() {
    String key = create("user");
    String id = idOf(key);

    CommandRun revoke = CommandRun.run(env, "keys", "revoke", id);
    assertThat(revoke.status()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains(id, "is revoked");
    assertThat(apiKeys.check(key)).isEmpty();

    CommandRun again = CommandRun.run(env, "keys", "revoke", id);
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains(id, "was already revoked at");
    assertThat(row(CommandRun.run(env, "keys", "list"), id)).endsWith("revoked");
  }

  @Test
  void revokingAnUnknownKeyIsNotFound() {
    CommandRun run = CommandRun.run(env, "keys", "revoke", "pfk_000000000000");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("podflow: no API key with id pfk_000000000000" + System.lineSeparator());
  }

  @Test
  void anExpiredKeyIsRefusedAndListedAsExpired() {
    // Whether it worked before it expired depends on how fast create ran; ApiKeysTest pins that.
    String key = create("admin", "--expires-in", "1s");

    Eventually.await(Duration.ofSeconds(10), "the key expires", () -> apiKeys.check(key).isEmpty());
    assertThat(row(CommandRun.run(env, "keys", "list"), idOf(key))).endsWith("expired");
  }

  @Test
  void badArgumentsAreUsageErrorsThatNameWhatIsAllowed() {
    CommandRun role = CommandRun.run(env, "keys", "create", "--tenant", tenant, "--role", "boss");
    assertThat(role.status()).isEqualTo(2);
    assertThat(role.err())
        .startsWith("podflow: Invalid value for option '--role': no role 'boss'")
        .contains("user, operator, admin", "Usage: ./podflow keys create");

    CommandRun badTenant =
        CommandRun.run(env, "keys", "create", "--tenant", "-x", "--role", "user");
    assertThat(badTenant.status()).isEqualTo(2);
    assertThat(badTenant.err()).contains("a tenant id is 1 to 128 letters");

    for (String never : new String[] {"0d", "-5d", "P-1D", "PT0S", "soon"}) {
      CommandRun run =
          CommandRun.run(
              env, "keys", "create", "--tenant", tenant, "--role", "user", "--expires-in", never);
      assertThat(run.status()).as(never).isEqualTo(2);
      assertThat(run.err()).as(never).contains("--expires-in");
    }
    assertThat(testDb.number("SELECT count(*) FROM tenants WHERE id = '" + tenant + "'"))
        .as("nothing was created")
        .isZero();
  }

  @Test
  void keysNeedDatabaseUrl() {
    CommandRun run = CommandRun.run(Map.of(), "keys", "list");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("podflow: DATABASE_URL is not set")
        .contains("'./podflow keys' works on the database in DATABASE_URL only");
  }

  @Test
  void keysRefuseAnUnmigratedDatabase() {
    try (EmptyDatabase empty = new EmptyDatabase()) {
      CommandRun run = CommandRun.run(Map.of("DATABASE_URL", empty.url()), "keys", "list");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("run './podflow migrate' first");
    }
  }

  /** Creates a key for this test's tenant with the command; the whole key. */
  @Test
  void createAndRevokeEachLeaveOneAuditEntryByTheCliWithoutTheSecret() {
    String key = create("operator", "--user", "bob");
    String id = idOf(key);
    assertThat(CommandRun.run(env, "keys", "revoke", id).status()).isZero();
    assertThat(CommandRun.run(env, "keys", "revoke", id).status())
        .as("revoking again changes nothing, so records nothing")
        .isZero();

    assertThat(
            testDb.text(
                "SELECT string_agg(actor || ' ' || action || ' ' || subject, ',' ORDER BY id)"
                    + " FROM audit_log WHERE tenant_id = '"
                    + tenant
                    + "'"))
        .isEqualTo("cli key.created " + id + ",cli key.revoked " + id);
    String details =
        testDb.text(
            "SELECT string_agg(details::text, ',') FROM audit_log WHERE tenant_id = '"
                + tenant
                + "'");
    assertThat(details).contains("\"role\": \"operator\"", "\"user\": \"bob\"");
    assertThat(details).doesNotContain(key.substring(id.length() + 1));
  }

  private String create(String role, String... more) {
    String[] args = {"keys", "create", "--tenant", tenant, "--role", role};
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    CommandRun run = CommandRun.run(env, all);
    assertThat(run.status()).as(run.err()).isZero();
    return run.lastWord();
  }

  /** A key's id: {@code pfk_} and the part before the secret. */
  private static String idOf(String key) {
    return key.substring(0, key.lastIndexOf('_'));
  }

  private static String row(CommandRun list, String id) {
    return list.out().lines().filter(line -> line.startsWith(id)).findFirst().orElseThrow();
  }
}
